using System.Diagnostics;

namespace Lakehouse.Deploy.Tests;

/// <summary>A finished process: its exit code and everything it wrote.</summary>
public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>Runs real processes for the tests (java, bash, python3), with an argument list, never a shell string.</summary>
internal static class ProcessRun
{
    /// <summary>Generous bound on any one process; reaching it fails the test, it is not a speed assertion.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    /// <summary>Starts <paramref name="file"/> with its output redirected; the caller reads and waits.</summary>
    public static Process Start(string file, IEnumerable<string> args, IDictionary<string, string?>? env = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepoPaths.Root,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in env ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        return Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start.");
    }

    /// <summary>Runs a process to its end and returns what it did.</summary>
    public static ProcessResult Run(string file, IEnumerable<string> args, IDictionary<string, string?>? env = null, string? workingDirectory = null)
    {
        using var process = Start(file, args, env, workingDirectory);
        return Finish(process);
    }

    /// <summary>Waits for a started process and collects its output.</summary>
    public static ProcessResult Finish(Process process)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{process.StartInfo.FileName} did not end within {Limit}.");
        }

        process.WaitForExit();
        return new ProcessResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Whether a process with this id is running (a zombie counts as gone: it has ended).</summary>
    public static bool IsRunning(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }

        try
        {
            // /proc/PID/stat: "pid (comm) state …"; the state follows the last ')'.
            var text = File.ReadAllText(stat);
            var state = text[(text.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state != "Z" && state != "X";
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or <see cref="Limit"/> passes; returns whether it held.</summary>
    public static bool WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (DateTime.UtcNow < deadline)
        {
            if (condition())
            {
                return true;
            }

            Thread.Sleep(50);
        }

        return condition();
    }
}
