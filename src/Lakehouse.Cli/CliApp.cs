using System.CommandLine;
using Lakehouse.Cli.Pipeline;
using Lakehouse.Cli.Server;
using Lakehouse.Cli.Table;
using Lakehouse.Delta;

namespace Lakehouse.Cli;

/// <summary>The <c>lakehouse</c> command: parses the arguments, runs one command, maps the outcome to an exit code.</summary>
internal static class CliApp
{
    /// <summary>How long a long-running command (connect-server) may take to stop after Ctrl+C or SIGTERM before the process exits anyway.</summary>
    private static readonly TimeSpan TerminationGrace = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Runs <c>lakehouse</c> with <paramref name="args"/> as the process entry point, writing results to <paramref name="output"/>
    /// and errors to <paramref name="error"/>; Ctrl+C and SIGTERM stop a long-running command.
    /// </summary>
    /// <returns>An exit code from <see cref="ExitCodes"/>.</returns>
    public static int Run(string[] args, TextWriter output, TextWriter error) =>
        Parse(args, output, error, out var parsed, out var code)
            ? parsed.Invoke(Configuration(output, error, TerminationGrace))
            : code;

    /// <summary>Runs <c>lakehouse</c> with <paramref name="args"/> until done or <paramref name="cancellationToken"/> stops it; process signals are left alone.</summary>
    /// <returns>An exit code from <see cref="ExitCodes"/>.</returns>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        Parse(args, output, error, out var parsed, out var code)
            ? parsed.InvokeAsync(Configuration(output, error, terminationGrace: null), cancellationToken)
            : Task.FromResult(code);

    private static bool Parse(string[] args, TextWriter output, TextWriter error, out ParseResult parsed, out int code)
    {
        var context = new CliContext(output, error);
        var root = new RootCommand("Lakehouse: medallion jobs on Delta Lake, and tools for Delta tables.")
        {
            TableCommand.Create(context),
            ConnectServerCommand.Create(context),
            RunCommand.Create(context),
            PlanCommand.Create(context),
            DemoCommand.Create(context),
            QuarantineCommand.Create(context),
        };

        parsed = root.Parse(args);
        code = ExitCodes.Ok;
        if (parsed.Errors.Count == 0)
        {
            return true;
        }

        foreach (var e in parsed.Errors)
        {
            error.WriteLine($"lakehouse: {e.Message}");
        }

        error.WriteLine("Run 'lakehouse --help' (or the command with --help) for usage.");
        code = ExitCodes.BadInput;
        return false;
    }

    private static InvocationConfiguration Configuration(TextWriter output, TextWriter error, TimeSpan? terminationGrace) => new()
    {
        Output = output,
        Error = error,
        EnableDefaultExceptionHandler = false,
        ProcessTerminationTimeout = terminationGrace,
    };

    /// <summary>Runs a command body, turning the errors a user can cause into a one-line message and an exit code.</summary>
    public static int Guard(CliContext context, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e)
        {
            return Fail(context, e);
        }
    }

    /// <summary>Runs an asynchronous command body, turning the errors a user can cause into a one-line message and an exit code.</summary>
    public static async Task<int> GuardAsync(CliContext context, Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            return Fail(context, e);
        }
    }

    private static int Fail(CliContext context, Exception exception) => exception switch
    {
        DeltaException e => Fail(context, ExitCodes.For(e.Kind), e.Message),
        Lakehouse.Pipeline.Configuration.PipelineConfigException or Lakehouse.Pipeline.Hosting.PipelineInputException => Fail(context, ExitCodes.BadInput, exception.Message),
        CliUsageException or ArgumentException => Fail(context, ExitCodes.BadInput, exception.Message),
        IOException or UnauthorizedAccessException => Fail(context, ExitCodes.Failed, exception.Message),

        // A bug, not a user error; still one line, as scripts parse stderr.
        _ => Fail(context, ExitCodes.Failed, $"unexpected {exception.GetType().Name}: {exception.Message}"),
    };

    private static int Fail(CliContext context, int code, string message)
    {
        context.Error.WriteLine($"lakehouse: {message.ReplaceLineEndings(" ")}");
        return code;
    }
}

/// <summary>Where a command writes: results to <paramref name="Output"/>, diagnostics to <paramref name="Error"/>.</summary>
internal sealed record CliContext(TextWriter Output, TextWriter Error);

/// <summary>An argument combination or value the command cannot use; the message says what to pass instead.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
