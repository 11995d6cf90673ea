namespace OCI.Models;

/// <summary>
/// A model problem with one clear, user-facing message (missing file, not a GGUF, out of memory, context too small,
/// server down). The server shows <see cref="Exception.Message"/> to the user as it is and keeps running.
/// </summary>
public sealed class ModelException : Exception
{
    public ModelException(string message) : base(message) { }

    public ModelException(string message, Exception innerException) : base(message, innerException) { }
}
