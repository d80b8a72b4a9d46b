using System.Text;

namespace Lakehouse.Cli.Tests;

/// <summary>A text writer that can be read while a running command writes to it, and tells when the first line is complete.</summary>
internal sealed class ObservedWriter : TextWriter
{
    private readonly StringBuilder _text = new();
    private readonly TaskCompletionSource<string> _firstLine = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override Encoding Encoding => Encoding.UTF8;

    /// <summary>Completes with the first line written (without its line end).</summary>
    public Task<string> FirstLine => _firstLine.Task;

    public override void Write(char value)
    {
        lock (_text)
        {
            _text.Append(value);
            if (value == '\n')
            {
                _firstLine.TrySetResult(_text.ToString().TrimEnd('\r', '\n'));
            }
        }
    }

    public override string ToString()
    {
        lock (_text)
        {
            return _text.ToString();
        }
    }
}
