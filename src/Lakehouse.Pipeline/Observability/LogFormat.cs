namespace Lakehouse.Pipeline.Observability;

/// <summary>How a job writes its log events to standard output (<c>--log-format</c>).</summary>
public enum LogFormat
{
    /// <summary>Readable text when standard output is a terminal, else compact JSON lines.</summary>
    Auto,

    /// <summary>One compact JSON object per line (Serilog.Formatting.Compact), for log collectors.</summary>
    Json,

    /// <summary>Readable text lines, for people.</summary>
    Text,
}
