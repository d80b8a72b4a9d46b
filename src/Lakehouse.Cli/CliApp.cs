using System.CommandLine;
using Lakehouse.Cli.Table;
using Lakehouse.Delta;

namespace Lakehouse.Cli;

/// <summary>The <c>lakehouse</c> command: parses the arguments, runs one command, maps the outcome to an exit code.</summary>
internal static class CliApp
{
    /// <summary>Runs <c>lakehouse</c> with <paramref name="args"/>, writing results to <paramref name="output"/> and errors to <paramref name="error"/>.</summary>
    /// <returns>An exit code from <see cref="ExitCodes"/>.</returns>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var context = new CliContext(output, error);
        var root = new RootCommand("Lakehouse: medallion jobs on Delta Lake, and tools for Delta tables.")
        {
            TableCommand.Create(context),
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors)
            {
                error.WriteLine($"lakehouse: {e.Message}");
            }

            error.WriteLine("Run 'lakehouse --help' (or the command with --help) for usage.");
            return ExitCodes.BadInput;
        }

        return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
    }

    /// <summary>Runs a command body, turning the errors a user can cause into a one-line message and an exit code.</summary>
    public static int Guard(CliContext context, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (DeltaException e)
        {
            return Fail(context, ExitCodes.For(e.Kind), e.Message);
        }
        catch (CliUsageException e)
        {
            return Fail(context, ExitCodes.BadInput, e.Message);
        }
        catch (ArgumentException e)
        {
            return Fail(context, ExitCodes.BadInput, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(context, ExitCodes.Failed, e.Message);
        }
        catch (Exception e)
        {
            // A bug, not a user error; still one line, as scripts parse stderr.
            return Fail(context, ExitCodes.Failed, $"unexpected {e.GetType().Name}: {e.Message}");
        }
    }

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
