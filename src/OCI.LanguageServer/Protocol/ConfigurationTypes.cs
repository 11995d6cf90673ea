using System.Text.Json;

namespace OCI.LanguageServer.Protocol;

public sealed record ConfigurationItem(string? ScopeUri = null, string? Section = null);

public sealed record ConfigurationParams(IReadOnlyList<ConfigurationItem> Items);

public sealed record DidChangeConfigurationParams(JsonElement? Settings = null);
