using System.Text;

namespace Lakehouse.Pipeline.Demo;

/// <summary>
/// Writes the lines of one source for one batch, starting a new part file every <see cref="LinesPerPart"/> lines
/// (<c>orders/orders-batch-0002-part-000.json</c>), so that a batch is always a new set of files and large batches
/// are several files an engine can read in parallel.
/// </summary>
internal sealed class DemoFileWriter : IDisposable
{
    public const int LinesPerPart = 1_000_000;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly string _directory;
    private readonly string _prefix;
    private readonly string _extension;
    private readonly string? _header;
    private StreamWriter? _writer;
    private int _linesInPart;

    public DemoFileWriter(string landingRoot, string source, int batch, string extension, string? header = null)
    {
        _directory = Path.Combine(landingRoot, source);
        _prefix = $"{source}-batch-{batch:D4}-part-";
        _extension = extension;
        _header = header;
        Directory.CreateDirectory(_directory);
        foreach (var stale in Directory.EnumerateFiles(_directory, _prefix + "*"))
        {
            // A rerun of the same batch rewrites it whole; parts a larger earlier run left must not survive.
            File.Delete(stale);
        }
    }

    public List<string> Paths { get; } = [];

    public int Lines { get; private set; }

    public void Write(string line)
    {
        if (_writer is null || _linesInPart == LinesPerPart)
        {
            Open();
        }

        _writer!.Write(line);
        _writer.Write('\n');
        _linesInPart++;
        Lines++;
    }

    public void Dispose() => _writer?.Dispose();

    private void Open()
    {
        _writer?.Dispose();
        var path = Path.GetFullPath(Path.Combine(_directory, $"{_prefix}{Paths.Count:D3}.{_extension}"));
        _writer = new StreamWriter(path, append: false, Utf8, bufferSize: 1 << 16);
        Paths.Add(path);
        _linesInPart = 0;
        if (_header is not null)
        {
            _writer.Write(_header);
            _writer.Write('\n');
        }
    }
}
