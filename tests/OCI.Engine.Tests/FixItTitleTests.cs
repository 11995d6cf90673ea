using Microsoft.CodeAnalysis.Text;
using OCI.Engine.Suggestions;
using Xunit;

namespace OCI.Engine.Tests;

/// <summary>A fix-it's title says what the fix does in words a user reads at the error (Roslyn titles a using as code).</summary>
public sealed class FixItTitleTests
{
    private static readonly DocumentError Error = new("CS0246", "The type or namespace name 'List<>' could not be found", new LinePositionSpan(new(3, 4), new(3, 8)));

    [Theory]
    [InlineData("using System.Text;", "Add using System.Text")]
    [InlineData("using System.Collections.Generic; + using System;", "Add using System.Collections.Generic, System")]
    [InlineData("System.Collections.Generic.List", "System.Collections.Generic.List")]
    [InlineData("using System; + Generate method 'Area'", "Add using System + Generate method 'Area'")]
    public void Roslyn_titles_become_verbs_and_chains_read_as_one_fix(string description, string expected)
    {
        Assert.Equal(expected, OCI.Engine.Suggestions.FixItSource.Describe(OCI.Engine.Refine.CandidateOrigin.Roslyn, description, Error));
    }

    [Theory]
    [InlineData("the model's fix for CS0246 in Stats.cs")]
    [InlineData("using System.Text;")] // a model's reply is the model's, whatever its description says
    [InlineData(null)]
    public void A_model_fix_is_named_for_the_model_by_its_origin_not_its_words(string? description)
    {
        Assert.Equal("Fix CS0246 (model)", OCI.Engine.Suggestions.FixItSource.Describe(OCI.Engine.Refine.CandidateOrigin.Model, description, Error));
    }
}
