namespace OCI.Engine.Extraction;

/// <summary>A piece of code found in a model reply: its fence language ("csharp", "" when untagged) and whether it was fenced at all.</summary>
public sealed record CodeBlock(string Language, string Code, bool Fenced)
{
    /// <summary>Tagged as C# (csharp, cs, c#), the format the prompts ask for.</summary>
    public bool IsCSharp => Language is "csharp" or "cs" or "c#" or "C#";
}
