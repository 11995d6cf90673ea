namespace OCI.LanguageServer.Documents;

/// <summary>What the "character" of an LSP position counts, as negotiated at initialize.</summary>
public enum PositionEncoding
{
    /// <summary>UTF-16 code units (the LSP default, and what .NET strings and Roslyn count).</summary>
    Utf16,

    /// <summary>UTF-8 bytes.</summary>
    Utf8,
}
