using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Lakehouse.Pipeline.Tests.Observability;

/// <summary>One started monitoring binary, killed (with its children) on dispose; keeps its output for failure messages.</summary>
internal sealed class ToolProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private ToolProcess(Process process) => this.process = process;

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public static ToolProcess Start(string fileName, params string[] arguments)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var tool = new ToolProcess(new Process { StartInfo = info });
        tool.process.OutputDataReceived += (_, e) => tool.Append(e.Data);
        tool.process.ErrorDataReceived += (_, e) => tool.Append(e.Data);
        tool.process.Start();
        tool.process.BeginOutputReadLine();
        tool.process.BeginErrorReadLine();
        return tool;
    }

    /// <summary>Runs a tool to its end and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string fileName, string workingDirectory, params string[] arguments)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public bool HasExited => process.HasExited;

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
