using System.CommandLine;

namespace OCI.LanguageServer.Cli;

/// <summary>
/// The <c>oci</c> command line. Each command lives in its own file with a <c>Create()</c>; adding one is that file
/// and one line in <see cref="Create"/>. With no command, <c>oci</c> serves LSP (what editors start).
/// </summary>
internal static class OciCommandLine
{
    public static RootCommand Create()
    {
        var root = new RootCommand("OCI.LanguageServer: generate, compile, test and refine C# with a local model, in the editor (LSP) or from the command line.");
        root.Options.Add(CommonOptions.LogLevel);
        ServeCommand.AddTo(root);
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(RefineCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        return root;
    }
}
