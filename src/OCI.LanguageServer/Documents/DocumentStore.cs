using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using OCI.LanguageServer.Protocol;

namespace OCI.LanguageServer.Documents;

/// <summary>Why a change could not be applied.</summary>
public sealed class DocumentChangeException(string message) : Exception(message);

/// <summary>
/// The open documents, one immutable <see cref="TextDocumentSnapshot"/> per URI, replaced on every change. Text sync
/// notifications arrive in order (the server dispatches them one at a time), so a change always applies to the version
/// before it; readers take a snapshot and never see a half-applied change.
/// </summary>
public sealed class DocumentStore
{
    private readonly ConcurrentDictionary<string, TextDocumentSnapshot> _documents = new(StringComparer.Ordinal);
    private readonly ILogger _logger;

    public DocumentStore(ILogger logger) => _logger = logger;

    public PositionEncoding Encoding { get; set; } = PositionEncoding.Utf16;

    public TextDocumentSnapshot Open(TextDocumentItem item)
    {
        var snapshot = new TextDocumentSnapshot(item.Uri, UriPaths.TryGetLocalPath(item.Uri), item.LanguageId, item.Version, item.Text);
        if (_documents.ContainsKey(item.Uri))
        {
            _logger.LogWarning("didOpen for {Uri}, which is already open: replacing it", item.Uri);
        }
        _documents[item.Uri] = snapshot;
        return snapshot;
    }

    /// <summary>Applies the changes in order; throws <see cref="DocumentChangeException"/> for an unknown document.</summary>
    public TextDocumentSnapshot Change(VersionedTextDocumentIdentifier document, IReadOnlyList<TextDocumentContentChangeEvent> changes)
    {
        if (!_documents.TryGetValue(document.Uri, out var current))
        {
            throw new DocumentChangeException($"didChange for {document.Uri}, which is not open");
        }
        if (document.Version <= current.Version)
        {
            _logger.LogWarning("didChange for {Uri} goes from version {Old} to {New}; applying it anyway", document.Uri, current.Version, document.Version);
        }
        var text = current.Text;
        var snapshot = current;
        foreach (var change in changes)
        {
            if (change.Range is null)
            {
                text = change.Text;
            }
            else
            {
                var start = snapshot.GetOffset(change.Range.Start, Encoding);
                var end = snapshot.GetOffset(change.Range.End, Encoding);
                if (end < start)
                {
                    throw new DocumentChangeException($"didChange for {document.Uri} has a range whose end precedes its start");
                }
                text = string.Concat(text.AsSpan(0, start), change.Text, text.AsSpan(end));
            }
            snapshot = current.WithText(document.Version, text);
        }
        _documents[document.Uri] = snapshot;
        return snapshot;
    }

    public bool Close(string uri) => _documents.TryRemove(uri, out _);

    public TextDocumentSnapshot? Get(string uri) => _documents.TryGetValue(uri, out var snapshot) ? snapshot : null;

    public TextDocumentSnapshot? GetByPath(string path) =>
        _documents.Values.FirstOrDefault(d => d.Path is not null && string.Equals(d.Path, path, UriPaths.PathComparison));

    /// <summary>All open documents at this moment (cheap: the snapshots are immutable).</summary>
    public ImmutableDictionary<string, TextDocumentSnapshot> Snapshot() => _documents.ToImmutableDictionary(StringComparer.Ordinal);
}
