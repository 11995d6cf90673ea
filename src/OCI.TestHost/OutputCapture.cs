using System.Text;

namespace OCI.TestHost;

/// <summary>
/// Console.Out and Console.Error of the code under test: collected per round (bounded, head kept, the rest counted) so
/// that tests that print cannot corrupt the protocol on the real stdout and their output still reaches the feedback.
/// </summary>
/// Past <see cref="FloodLimit"/> characters in one round, <c>onFlood</c> is called once: the caller stops the round
/// instead of waiting for its timeout.
internal sealed class OutputCapture(Action<long> onFlood) : TextWriter
{
    private const int Limit = 64 * 1024;
    public const long FloodLimit = 32L * 1024 * 1024;
    private bool _flooded;
    private readonly StringBuilder _text = new();
    private long _dropped;
    private readonly Lock _gate = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_gate)
        {
            if (_text.Length < Limit) _text.Append(value);
            else _dropped++;
        }
        CheckFlood();
    }

    public override void Write(string? value)
    {
        if (value is null) return;
        lock (_gate)
        {
            var room = Math.Max(0, Limit - _text.Length);
            _text.Append(value.AsSpan(0, Math.Min(room, value.Length)));
            _dropped += Math.Max(0, value.Length - room);
        }
        CheckFlood();
    }

    private void CheckFlood()
    {
        long total;
        lock (_gate)
        {
            if (_flooded || _dropped + _text.Length <= FloodLimit) return;
            _flooded = true;
            total = _dropped + _text.Length;
        }
        onFlood(total);
    }

    public override void WriteLine(string? value) => Write(value + Environment.NewLine);

    /// <summary>What was written since the last call, and a fresh start.</summary>
    public string Take()
    {
        lock (_gate)
        {
            var text = _text.ToString() + (_dropped > 0 ? $"… [{_dropped} more characters]" : "");
            _text.Clear();
            _dropped = 0;
            _flooded = false;
            return text;
        }
    }
}
