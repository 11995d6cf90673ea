using Microsoft.Extensions.AI;
using OCI.Testing;

namespace OCI.Models.Tests;

public sealed class ChatConversationTests
{
    [Fact]
    public async Task Turns_CarryTheConversationIdAndGrowTheHistory()
    {
        var scripted = new ScriptedChatClient(new ScriptedReply("first"), new ScriptedReply("fixed", When: "CS0103"));
        var conversation = new ChatConversation(scripted, "system", new ChatOptions { Temperature = 0 }, id: "c1");
        var streamed = new List<string>();
        var first = await conversation.SendAsync("task", new Progress<string>(streamed.Add), CancellationToken.None);
        var second = await conversation.SendAsync("error CS0103", null, CancellationToken.None);
        Assert.Equal("first", first.Text);
        Assert.Equal("fixed", second.Text);
        Assert.Equal(5, conversation.Messages.Count);
        Assert.Equal(4, scripted.Requests[1].Count);
        Assert.Null(second.ReusedPromptTokens);
    }

    [Fact]
    public async Task FailedTurn_LeavesTheHistoryAsItWas()
    {
        var slow = new ScriptedChatClient("a long reply that streams slowly") { ChunkDelay = TimeSpan.FromSeconds(5) };
        var conversation = new ChatConversation(slow, "system");
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => conversation.SendAsync("task", null, cancellation.Token));
        Assert.Single(conversation.Messages);
    }
}
