namespace OCI.LanguageServer.Protocol;

/// <summary>Values of <c>MessageType</c> (serialised as numbers).</summary>
public enum MessageType { Error = 1, Warning = 2, Info = 3, Log = 4, Debug = 5 }

public sealed record ShowMessageParams(MessageType Type, string Message);

public sealed record LogMessageParams(MessageType Type, string Message);
