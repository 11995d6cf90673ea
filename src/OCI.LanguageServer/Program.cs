// Entry point of the `oci` tool. With no command or with `--stdio` it serves LSP over stdin/stdout (what
// vscode-languageclient starts); see Cli/OciCommandLine.cs for the commands.
using OCI.LanguageServer.Cli;

return await OciCommandLine.Create().Parse(args).InvokeAsync().ConfigureAwait(false);
