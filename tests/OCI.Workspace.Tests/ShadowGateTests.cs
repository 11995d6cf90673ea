using OCI.Workspace.Shadow;

namespace OCI.Workspace.Tests;

/// <summary>The shadow copy's gate: one holder at a time, and a check someone waits for never queues behind background work.</summary>
public sealed class ShadowGateTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task A_foreground_check_interrupts_the_background_holder_and_background_work_waits_until_no_foreground_check_is_left()
    {
        using var gate = new ShadowGate();
        var background = await gate.EnterAsync(background: true, CancellationToken.None);
        Assert.False(background.Interrupted.IsCancellationRequested);

        var foreground = gate.EnterAsync(background: false, CancellationToken.None);
        Assert.True(background.Interrupted.IsCancellationRequested); // asked to give the shadow back at once
        Assert.False(foreground.IsCompleted); // but the shadow is not taken from under it
        background.Dispose();
        var held = await foreground.WaitAsync(Wait);

        // Background work waits while a foreground check holds the gate or waits for it.
        var backgroundAgain = gate.EnterAsync(background: true, CancellationToken.None);
        var secondForeground = gate.EnterAsync(background: false, CancellationToken.None);
        held.Dispose();
        // The shadow goes to the foreground check that came later, not to the background work that waited first.
        Assert.Same(secondForeground, await Task.WhenAny(secondForeground, backgroundAgain).WaitAsync(Wait));
        using (await secondForeground)
        {
            Assert.False(backgroundAgain.IsCompleted);
        }
        using var last = await backgroundAgain.WaitAsync(Wait);
        Assert.False(last.Interrupted.IsCancellationRequested);
    }

    [Fact]
    public async Task A_background_check_interrupts_speculative_work_which_waits_until_no_check_is_left()
    {
        using var gate = new ShadowGate();
        var speculative = await gate.EnterAsync(ShadowPriority.Speculative, CancellationToken.None);

        var fixIt = gate.EnterAsync(ShadowPriority.Background, CancellationToken.None);
        Assert.True(speculative.Interrupted.IsCancellationRequested);
        Assert.False(fixIt.IsCompleted);
        speculative.Dispose();
        var held = await fixIt.WaitAsync(Wait);

        // Speculative work waits for every background check, the one holding the gate and the ones waiting for it.
        var speculativeAgain = gate.EnterAsync(ShadowPriority.Speculative, CancellationToken.None);
        var secondFixIt = gate.EnterAsync(ShadowPriority.Background, CancellationToken.None);
        held.Dispose();
        Assert.Same(secondFixIt, await Task.WhenAny(secondFixIt, speculativeAgain).WaitAsync(Wait));
        using (var second = await secondFixIt)
        {
            Assert.False(second.Interrupted.IsCancellationRequested);
            Assert.False(speculativeAgain.IsCompleted);
        }
        using var last = await speculativeAgain.WaitAsync(Wait);
        Assert.False(last.Interrupted.IsCancellationRequested);

        // And a foreground check interrupts a background one as before.
        var command = gate.EnterAsync(ShadowPriority.Foreground, CancellationToken.None);
        Assert.True(last.Interrupted.IsCancellationRequested);
        last.Dispose();
        (await command.WaitAsync(Wait)).Dispose();
    }

    [Fact]
    public async Task A_request_holding_speculative_work_interrupts_it_and_keeps_it_out_until_the_request_ends()
    {
        using var gate = new ShadowGate();
        var speculative = await gate.EnterAsync(ShadowPriority.Speculative, CancellationToken.None);

        var held = gate.HoldSpeculativeWork();
        Assert.True(speculative.Interrupted.IsCancellationRequested);
        speculative.Dispose();
        var speculativeAgain = gate.EnterAsync(ShadowPriority.Speculative, CancellationToken.None);
        // The request's own check still enters at once; speculative work waits for the request, not only for its check.
        using (var check = await gate.EnterAsync(ShadowPriority.Foreground, CancellationToken.None).WaitAsync(Wait))
        {
            Assert.False(speculativeAgain.IsCompleted);
        }
        var fixIt = await gate.EnterAsync(ShadowPriority.Background, CancellationToken.None).WaitAsync(Wait);
        fixIt.Dispose();
        Assert.False(speculativeAgain.IsCompleted);
        held.Dispose();
        held.Dispose(); // once only
        using var last = await speculativeAgain.WaitAsync(Wait);
        Assert.False(last.Interrupted.IsCancellationRequested);
    }

    [Fact]
    public async Task Foreground_checks_never_interrupt_each_other()
    {
        using var gate = new ShadowGate();
        var first = await gate.EnterAsync(background: false, CancellationToken.None);
        var second = gate.EnterAsync(background: false, CancellationToken.None);
        Assert.False(first.Interrupted.CanBeCanceled);
        Assert.False(second.IsCompleted);
        first.Dispose();
        (await second.WaitAsync(Wait)).Dispose();
    }
}
