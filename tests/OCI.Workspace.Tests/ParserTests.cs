using OCI.Workspace.Building;
using OCI.Workspace.Testing;
using OCI.Workspace.Verification;

namespace OCI.Workspace.Tests;

/// <summary>The build-output and TRX parsers on outputs captured from real dotnet build / dotnet test runs (Data/).</summary>
public sealed class ParserTests
{
    private static string Data(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", name));

    [Fact]
    public void Build_output_yields_each_error_once_with_position_project_and_the_users_path()
    {
        var diagnostics = BuildOutputParser.Parse(Data("build-compile-error.txt"), p => p.Replace("/tmp/fx3", "/home/user/ws", StringComparison.Ordinal));
        Assert.Equal(2, diagnostics.Count);
        var compile = diagnostics[0];
        Assert.Equal(new CompilerDiagnostic("CS0103", DiagnosticSeverityLevel.Error, "The name 'c' does not exist in the current context", "/home/user/ws/Calc/Calculator.cs", 7, 20), compile);
        Assert.True(BuildOutputParser.IsCompilerDiagnostic(compile));
        var msbuild = diagnostics[1];
        Assert.Equal("MSB4025", msbuild.Id);
        Assert.Equal("/home/user/ws/Calc/Calc.csproj", msbuild.Path);
        Assert.False(BuildOutputParser.IsCompilerDiagnostic(msbuild));
    }

    [Theory]
    [InlineData("MSBUILD : error MSB1009: Project file does not exist.", "MSB1009", null, 0)]
    [InlineData("/w/a.csproj : error NU1101: Unable to find package Foo. [/w/a.csproj]", "NU1101", "/w/a.csproj", 0)]
    [InlineData("/w/A.cs(3,5,3,9): warning CS0168: The variable 'x' is declared but never used [/w/a.csproj]", "CS0168", "/w/A.cs", 3)]
    [InlineData("  1>/w/A.cs(12): error CS1002: ; expected", "CS1002", "/w/A.cs", 12)]
    public void Canonical_forms_parse(string line, string id, string? path, int lineNumber)
    {
        var diagnostic = Assert.Single(BuildOutputParser.Parse(line));
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(path, diagnostic.Path);
        Assert.Equal(lineNumber, diagnostic.Line);
    }

    [Theory]
    [InlineData("Build FAILED.")]
    [InlineData("    1 Error(s)")]
    [InlineData("  Calc -> /w/bin/Debug/net10.0/Calc.dll")]
    public void Other_lines_are_not_diagnostics(string line) => Assert.Empty(BuildOutputParser.Parse(line));

    [Fact]
    public void Trx_yields_every_result_with_the_failure_mapped_to_the_users_file()
    {
        var run = TrxParser.Parse(Data("failing.trx"), p => p.StartsWith("/tmp/fx2/", StringComparison.Ordinal) ? "/home/user/ws/" + p["/tmp/fx2/".Length..] : null);
        Assert.Equal(2, run.Results.Count);
        var failed = Assert.Single(run.Results, r => r.Outcome == TestOutcome.Failed);
        Assert.Equal("Calc.Tests.CalculatorTests.Add_ReturnsSum", failed.Name);
        Assert.Equal("Assert.Equal() Failure: Values differ\nExpected: 5\nActual:   -1", failed.Message!.Replace("\r", "", StringComparison.Ordinal));
        Assert.Equal("/home/user/ws/Calc.Tests/CalculatorTests.cs", failed.Path);
        Assert.Equal(12, failed.Line);
        Assert.Contains("in /home/user/ws/Calc.Tests/CalculatorTests.cs:line 12", failed.StackTrace, StringComparison.Ordinal);
        Assert.Contains(run.Results, r => r.Name == "Calc.Tests.CalculatorTests.Add_Zero" && r.Outcome == TestOutcome.Passed);
        Assert.Contains("adding 2 and 3", run.RunOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nunit-failing.trx", "/tmp/fwtry/NUnitFailing/", 11, "Expected: 5")]
    [InlineData("mstest-failing.trx", "/tmp/fwtry/MSTestFailing/", 12, "Assert.AreEqual failed. Expected:<5>. Actual:<-1>.")]
    public void Nunit_and_MSTest_trx_names_are_qualified_with_their_class_like_xunits(string file, string root, int line, string message)
    {
        var run = TrxParser.Parse(Data(file), p => p.StartsWith(root, StringComparison.Ordinal) ? "/home/user/ws/" + p[root.Length..] : null);
        Assert.Equal(["Calc.Tests.CalculatorTests.Add_ReturnsSum", "Calc.Tests.CalculatorTests.Add_Zero"], run.Results.Select(r => r.Name));
        var failed = Assert.Single(run.Results, r => r.Outcome == TestOutcome.Failed);
        Assert.Contains(message, failed.Message, StringComparison.Ordinal);
        Assert.Equal(("/home/user/ws/Calc.Tests/CalculatorTests.cs", line), (failed.Path, failed.Line));
    }
}
