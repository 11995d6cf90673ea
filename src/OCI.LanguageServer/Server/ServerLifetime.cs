namespace OCI.LanguageServer.Server;

/// <summary>Completes when the client sends <c>exit</c>, with the process exit code (0 after shutdown, else 1).</summary>
internal sealed class ServerLifetime
{
    private readonly TaskCompletionSource<int> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<int> ExitCode => _exit.Task;

    public void Exit(int code) => _exit.TrySetResult(code);
}
