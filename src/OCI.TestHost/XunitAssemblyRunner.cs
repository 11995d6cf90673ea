using System.Reflection;
using System.Runtime.CompilerServices;
using Xunit.Abstractions;

namespace OCI.TestHost;

/// <summary>
/// Runs one xunit v2 test assembly in a fresh collectible load context through the test's own xunit.execution (its
/// TestFrameworkProxy honours a custom [assembly: TestFramework]) with the options of its xunit.runner.json, reporting
/// each test as it starts and ends.
/// </summary>
internal static class XunitAssemblyRunner
{
    /// <summary>
    /// Runs the tests and starts unloading the round's load context; returns a weak reference to it, for
    /// <see cref="WaitForUnload"/> once the round's results are reported.
    /// </summary>
    public static WeakReference Run(string assemblyPath, IReadOnlyList<TestNameClause> clauses, bool matchAll, Action<TestHostEvent> emit) =>
        RunInContext(assemblyPath, clauses, matchAll, warmUp: false, emit);

    /// <summary>
    /// Loads the assembly with xunit, discovers its tests and runs none (an empty run still goes through xunit's
    /// assembly runner): xunit's code, shared between rounds (<see cref="TestFrameworkContext"/>), is compiled by the
    /// time the first round comes. The first round in a fresh host took 0.2–0.5 s more for it.
    /// </summary>
    public static WeakReference WarmUp(string assemblyPath, Action<TestHostEvent> emit) =>
        RunInContext(assemblyPath, [], matchAll: false, warmUp: true, emit);

    /// <summary>
    /// True when every context was unloaded (no code of the round is still alive). xunit's worker threads end shortly
    /// after the run, and a context that unloads has done so within a few collections (~40 ms); one that has not after
    /// <paramref name="limit"/> is held by something of the round (a thread, a static of the shared framework) and the
    /// caller replaces the host instead. The wait is not on the round's path: the results went out before it.
    /// </summary>
    public static bool WaitForUnload(IReadOnlyList<WeakReference> contexts, TimeSpan limit)
    {
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; contexts.Any(c => c.IsAlive) && i < 40 && stopwatch.Elapsed < limit; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            if (i > 4) Thread.Sleep(10);
        }
        return !contexts.Any(c => c.IsAlive);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference RunInContext(string assemblyPath, IReadOnlyList<TestNameClause> clauses, bool matchAll, bool warmUp, Action<TestHostEvent> emit)
    {
        var context = new TestLoadContext(assemblyPath);
        try
        {
            // xunit (shared, see TestFrameworkContext) loads the test assembly and its custom framework by name: from here.
            using var contextual = context.EnterContextualReflection();
            var assembly = context.LoadFromAssemblyPath(assemblyPath);
            var execution = context.LoadFromAssemblyName(new AssemblyName("xunit.execution.dotnet"));
            var wrap = execution.GetType("Xunit.Sdk.Reflector", throwOnError: true)!.GetMethod("Wrap", [typeof(Assembly)])!;
            var assemblyInfo = (IAssemblyInfo)wrap.Invoke(null, [assembly])!;
            var proxyType = execution.GetType("Xunit.Sdk.TestFrameworkProxy", throwOnError: true)!;
            using var framework = (ITestFramework)Activator.CreateInstance(proxyType, assemblyInfo, new NoSourceInformation(), new IgnoringSink())!;
            using var executor = framework.GetExecutor(assembly.GetName());
            var options = RunnerOptions.ForAssembly(assemblyPath);
            using var sink = new ExecutionSink(emit);
            if (warmUp)
            {
                _ = Discover(framework, assemblyInfo, options);
                executor.RunTests([], sink, options);
            }
            else if (clauses.Count == 0)
            {
                executor.RunAll(sink, options, options);
            }
            else
            {
                var selected = Discover(framework, assemblyInfo, options)
                    .Where(t => Matches(t, clauses, matchAll))
                    .ToList();
                if (selected.Count == 0) return new WeakReference(context);
                executor.RunTests(selected, sink, options);
            }
            sink.Finished.Wait();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            emit(new TestHostEvent("message", Message: $"could not run {Path.GetFileName(assemblyPath)}: {(e is TargetInvocationException { InnerException: { } inner } ? inner : e)}"));
        }
        finally
        {
            context.Unload();
        }
        return new WeakReference(context);
    }

    private static List<ITestCase> Discover(ITestFramework framework, IAssemblyInfo assemblyInfo, RunnerOptions options)
    {
        using var discoverer = framework.GetDiscoverer(assemblyInfo);
        using var sink = new DiscoverySink();
        discoverer.Find(includeSourceInformation: false, sink, options);
        sink.Finished.Wait();
        return sink.TestCases;
    }

    /// <summary>VSTest's FullyQualifiedName for xunit is Class.Method; DisplayName also carries theory arguments.</summary>
    internal static bool Matches(ITestCase test, IReadOnlyList<TestNameClause> clauses, bool matchAll)
    {
        var fullyQualifiedName = test.TestMethod.TestClass.Class.Name + "." + test.TestMethod.Method.Name;
        bool Match(TestNameClause clause)
        {
            var value = string.Equals(clause.Field, "DisplayName", StringComparison.OrdinalIgnoreCase) ? test.DisplayName : fullyQualifiedName;
            return clause.Operator switch
            {
                "=" => string.Equals(value, clause.Value, StringComparison.Ordinal),
                "!=" => !string.Equals(value, clause.Value, StringComparison.Ordinal),
                "!~" => !value.Contains(clause.Value, StringComparison.OrdinalIgnoreCase),
                _ => value.Contains(clause.Value, StringComparison.OrdinalIgnoreCase),
            };
        }
        return matchAll ? clauses.All(Match) : clauses.Any(Match);
    }

    private sealed class ExecutionSink(Action<TestHostEvent> emit) : LongLivedSink
    {
        public override bool OnMessage(IMessageSinkMessage message)
        {
            switch (message)
            {
                case ITestStarting starting:
                    emit(new TestHostEvent("start", Name: starting.Test.DisplayName));
                    break;
                case ITestPassed passed:
                    emit(Result(passed, "Passed", null, null));
                    break;
                case ITestFailed failed:
                    emit(Result(failed, "Failed", FailureText.Message(failed), FailureText.StackTrace(failed)));
                    break;
                case ITestSkipped skipped:
                    emit(Result(skipped, "Skipped", skipped.Reason, null));
                    break;
                case IFailureInformation failure: // fixture / cleanup failures and catastrophic errors
                    emit(new TestHostEvent("message", Message: $"{message.GetType().Name.TrimStart('I')}: {FailureText.Message(failure)}", StackTrace: FailureText.StackTrace(failure)));
                    break;
                case ITestAssemblyFinished:
                    Finished.Set();
                    break;
            }
            return true;
        }

        private static TestHostEvent Result(ITestResultMessage result, string outcome, string? text, string? stackTrace) =>
            new("result", Name: result.Test.DisplayName, Outcome: outcome, Message: text, StackTrace: stackTrace,
                Output: string.IsNullOrEmpty(result.Output) ? null : result.Output, Seconds: (double)result.ExecutionTime);
    }

    private sealed class DiscoverySink : LongLivedSink
    {
        public List<ITestCase> TestCases { get; } = [];

        public override bool OnMessage(IMessageSinkMessage message)
        {
            if (message is ITestCaseDiscoveryMessage discovered) TestCases.Add(discovered.TestCase);
            else if (message is IDiscoveryCompleteMessage) Finished.Set();
            return true;
        }
    }

    private abstract class LongLivedSink : IMessageSink, IDisposable
    {
        public ManualResetEventSlim Finished { get; } = new();

        public abstract bool OnMessage(IMessageSinkMessage message);

        public void Dispose() => Finished.Dispose();
    }

    private sealed class IgnoringSink : IMessageSink
    {
        public bool OnMessage(IMessageSinkMessage message) => true;
    }

    /// <summary>Source locations come from the stack traces (portable PDBs beside the assemblies), not from discovery.</summary>
    private sealed class NoSourceInformation : ISourceInformationProvider
    {
        public ISourceInformation? GetSourceInformation(ITestCase testCase) => null;

        public void Dispose()
        {
        }
    }
}
