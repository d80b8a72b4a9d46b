namespace Lakehouse.Cli.Tests;

/// <summary>The outcome of running <c>lakehouse</c> in-process.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    /// <summary>Runs the command entry with <paramref name="args"/>, capturing stdout and stderr.</summary>
    public static CliRun Of(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = CliApp.Run(args, output, error);
        return new CliRun(code, output.ToString(), error.ToString());
    }
}
