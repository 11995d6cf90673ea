using System.Text;
using System.Text.Json;
using OCI.TestHost;

// The fast test runner of the refine loop. The workspace layer starts it once per shadow copy (cwd, HOME and TMP inside
// the shadow) and keeps it warm: each request line on stdin names a round's test assemblies, which run in a fresh
// collectible load context; events go to stdout behind a prefix. A test that hangs is handled by the caller, which
// kills this process tree on timeout and starts a new one. Starting once saves the ~1 s that VSTest and its testhost
// cost per `dotnet test`.

var protocol = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
var requests = new StreamReader(Console.OpenStandardInput(), Encoding.UTF8);
var gate = new Lock();
void Emit(TestHostEvent e)
{
    var line = TestHostProtocol.EventPrefix + JsonSerializer.Serialize(e, TestHostProtocol.Json);
    lock (gate) protocol.WriteLine(line);
}

if (args is ["--mtp-client", ..])
{
    // One Microsoft.Testing.Platform application in server mode, then exit (see PlatformServerClient).
    return await PlatformServerClient.RunAsync(args[1..], Emit).ConfigureAwait(false);
}

// Orphaned descendants (a test's detached child) become ours, so a round that leaves one running is seen and reported.
RoundProcesses.BecomeSubreaper();
var capture = new OutputCapture(characters => Emit(new TestHostEvent("flood", Characters: characters)));
Console.SetOut(capture);
Console.SetError(capture);
Console.SetIn(TextReader.Null); // code under test reading stdin sees end of input, never our requests

Emit(new TestHostEvent("ready"));
while (await requests.ReadLineAsync().ConfigureAwait(false) is { } line)
{
    if (string.IsNullOrWhiteSpace(line)) continue;
    TestHostRequest? request;
    try
    {
        request = JsonSerializer.Deserialize<TestHostRequest>(line, TestHostProtocol.Json);
    }
    catch (JsonException e)
    {
        Emit(new TestHostEvent("message", Message: "unreadable request: " + e.Message));
        Emit(new TestHostEvent("done", Unloaded: true));
        continue;
    }
    if (request is null) continue;

    Directory.SetCurrentDirectory(request.WorkingDirectory);
    if (request.Applications is { Count: > 0 } applications)
    {
        // Microsoft.Testing.Platform applications: each runs as our child in server mode (nothing is loaded here).
        await PlatformServerClient.RunAllAsync(applications, Emit).ConfigureAwait(false);
        var left = RoundProcesses.LiveDescendants();
        Emit(new TestHostEvent("done", Unloaded: true, Survivors: left.Count == 0 ? null : left));
        continue;
    }
    var contexts = new List<WeakReference>();
    foreach (var assembly in request.Assemblies)
    {
        // Tests find their data files beside their assembly, as under dotnet test.
        AppContext.SetData("APP_CONTEXT_BASE_DIRECTORY", Path.GetDirectoryName(assembly) + Path.DirectorySeparatorChar);
        contexts.Add(request.WarmUp ? XunitAssemblyRunner.WarmUp(assembly, Emit) : XunitAssemblyRunner.Run(assembly, request.Clauses, request.MatchAll, Emit));
    }
    var output = capture.Take();
    var survivors = RoundProcesses.LiveDescendants();
    // The round's results go out now; whether its code is all gone follows in "unloaded" (see TestHostEvent).
    Emit(new TestHostEvent("done", Output: output.Length == 0 ? null : output, Survivors: survivors.Count == 0 ? null : survivors));
    var unloaded = XunitAssemblyRunner.WaitForUnload(contexts, TimeSpan.FromMilliseconds(300));
    capture.Take(); // what the round's last threads wrote meanwhile belongs to no round
    var late = RoundProcesses.LiveDescendants();
    Emit(new TestHostEvent("unloaded", Unloaded: unloaded, Survivors: late.Count == 0 ? null : late));
}
return 0;
