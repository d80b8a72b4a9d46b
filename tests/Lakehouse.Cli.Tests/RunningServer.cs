using System.Globalization;
using System.Text.RegularExpressions;

namespace Lakehouse.Cli.Tests;

/// <summary><c>lakehouse connect-server …</c> running in-process until stopped; knows the port from the line it printed.</summary>
internal sealed partial class RunningServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly Task<int> _run;

    private RunningServer(CancellationTokenSource stop, Task<int> run, ObservedWriter output, ObservedWriter error, string line)
    {
        _stop = stop;
        _run = run;
        Output = output;
        Error = error;
        Line = line;
        Port = int.Parse(ListenLine().Match(line).Groups["port"].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>What the command wrote to stdout.</summary>
    public ObservedWriter Output { get; }

    /// <summary>What the command wrote to stderr.</summary>
    public ObservedWriter Error { get; }

    /// <summary>The line saying where the server listens.</summary>
    public string Line { get; }

    /// <summary>The port it listens on.</summary>
    public int Port { get; }

    /// <summary>The loopback connection string, without a token.</summary>
    public string Url => $"sc://127.0.0.1:{Port}";

    /// <summary>Runs <c>lakehouse connect-server</c> with <paramref name="args"/> and waits until it says where it listens.</summary>
    public static async Task<RunningServer> StartAsync(params string[] args)
    {
        var output = new ObservedWriter();
        var error = new ObservedWriter();
        var stop = new CancellationTokenSource();
        var run = Task.Run(() => CliApp.RunAsync(["connect-server", .. args], output, error, stop.Token));

        // Safety net against a hung start, not a timing assertion.
        var first = await Task.WhenAny(output.FirstLine, run).WaitAsync(TimeSpan.FromMinutes(2));
        if (first == run)
        {
            stop.Dispose();
            throw new InvalidOperationException($"connect-server ended with exit code {run.Result} before listening: {error}");
        }

        var line = output.FirstLine.Result;
        Assert.Matches(ListenLine(), line);
        return new RunningServer(stop, run, output, error, line);
    }

    /// <summary>Cancels the command (as Ctrl+C does) and returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        await _stop.CancelAsync();
        return await _run.WaitAsync(TimeSpan.FromMinutes(2));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_run.IsCompleted)
        {
            await StopAsync();
        }

        _stop.Dispose();
    }

    [GeneratedRegex(@"^Spark Connect server listening on sc://(?<host>[^:/]+):(?<port>\d+)")]
    private static partial Regex ListenLine();
}
