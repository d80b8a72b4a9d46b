using System.Diagnostics;

namespace Lakehouse.Embedded.Execution;

/// <summary>
/// A profiling trace of the engine, on when the environment variable <c>LAKEHOUSE_EMBEDDED_TRACE</c> names a file: one
/// tab-separated line per DuckDB statement and per RPC (time, thread, kind, wall ms, process CPU ms, rows, bytes,
/// statement or plan). Process CPU time counts work even on a busy machine; it is exact only while one operation runs
/// at a time. Off, it costs one null check.
/// </summary>
internal static class Trace
{
    private static readonly string? File = Environment.GetEnvironmentVariable("LAKEHOUSE_EMBEDDED_TRACE");
    private static readonly Lock Gate = new();

    public static bool On => File is not null;

    public static (long Wall, double Cpu) Start() => File is null ? default : (Stopwatch.GetTimestamp(), Cpu());

    public static void Write(string kind, (long Wall, double Cpu) start, string text, long rows = -1, long bytes = -1)
    {
        if (File is null)
        {
            return;
        }

        var ms = Stopwatch.GetElapsedTime(start.Wall).TotalMilliseconds;
        var cpu = Cpu() - start.Cpu;
        var one = text.ReplaceLineEndings(" ").Replace('\t', ' ');
        lock (Gate)
        {
            System.IO.File.AppendAllText(File, FormattableString.Invariant($"{DateTime.UtcNow:HH:mm:ss.fff}\t{Environment.CurrentManagedThreadId}\t{kind}\t{ms:F1}\t{cpu:F0}\t{rows}\t{bytes}\t{one}\n"));
        }
    }

    private static double Cpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime.TotalMilliseconds;
    }
}

/// <summary>Writes one <see cref="Trace"/> line when disposed.</summary>
internal readonly struct TraceScope(string kind, (long Wall, double Cpu) start, string text) : IDisposable
{
    public void Dispose() => Trace.Write(kind, start, text);
}
