using System.Diagnostics;
using System.Text.RegularExpressions;
using Lakehouse.Spark;

namespace Lakehouse.Cli.Tests;

/// <summary>The built <c>lakehouse</c> executable as a child process: the real Ctrl+C/SIGTERM path.</summary>
public sealed partial class ConnectServerProcessTests
{
    [Fact]
    public async Task ConnectServer_Sigterm_StopsServingAndExitsOk()
    {
        using var warehouse = new TempDirectory("cli-server");
        using var process = Start("connect-server", "--port", "0", "--warehouse", warehouse.Path);
        try
        {
            // Safety nets against a hung child, not timing assertions.
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(2));
            var listening = Listening().Match(line ?? "");
            Assert.True(listening.Success, $"Unexpected first line: {line}");
            var port = listening.Groups["port"].Value;
            await using (var spark = await SparkSession.Builder().Remote($"sc://127.0.0.1:{port}").CreateAsync())
            {
                Assert.Equal(3, await spark.Range(0, 3).CountAsync());
            }

            using (var kill = Process.Start("kill", ["-TERM", $"{process.Id}"]))
            {
                await kill.WaitForExitAsync();
                Assert.Equal(0, kill.ExitCode);
            }

            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));

            Assert.Equal(0, process.ExitCode);
            Assert.Equal("", await process.StandardError.ReadToEndAsync());
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    private static Process Start(params string[] args)
    {
        // The dotnet CLI tells child processes where its host is; the CLI's build output sits beside the tests.
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "lakehouse.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info)!;
    }

    [GeneratedRegex(@"^Spark Connect server listening on sc://127\.0\.0\.1:(?<port>\d+) ")]
    private static partial Regex Listening();
}
