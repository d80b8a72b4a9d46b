using Serilog;
using Serilog.Formatting.Compact;

namespace Lakehouse.Pipeline.Hosting;

/// <summary>The plain job logger: one JSON object (compact Serilog format) or one text line per event, to stdout.</summary>
internal static class JobLogging
{
    public static ILogger Create(string format) =>
        format == "text"
            ? new LoggerConfiguration().WriteTo.Console(outputTemplate: "{Timestamp:HH:mm:ss} {Level:u3} {Message:lj}{NewLine}{Exception}").CreateLogger()
            : new LoggerConfiguration().WriteTo.Console(new RenderedCompactJsonFormatter()).CreateLogger();
}
