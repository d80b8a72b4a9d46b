using System.CommandLine;
using System.Net;
using Lakehouse.Embedded;

namespace Lakehouse.Cli.Server;

/// <summary>
/// <c>lakehouse connect-server [--port 15002] [--host 127.0.0.1] [--token T] [--warehouse DIR] [--allow-remote]</c>:
/// the embedded engine as a Spark Connect server, until Ctrl+C or SIGTERM.
/// </summary>
internal static class ConnectServerCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var defaults = new ConnectServerOptions();
        var port = new Option<int>("--port")
        {
            Description = "TCP port to listen on; 0 picks a free one.",
            DefaultValueFactory = _ => defaults.Port,
        };
        var host = new Option<string>("--host")
        {
            Description = "IP address to listen on. Anything but loopback needs --allow-remote.",
            DefaultValueFactory = _ => defaults.Host,
        };
        var token = new Option<string?>("--token")
        {
            Description = "Require this bearer token (clients connect with sc://HOST:PORT/;token=T).",
        };
        var warehouse = new Option<string>("--warehouse")
        {
            Description = "Directory that holds named tables: db.table is the Delta table DIR/db/table.",
            DefaultValueFactory = _ => defaults.Engine.Warehouse,
        };
        var allowRemote = new Option<bool>("--allow-remote")
        {
            Description = "Allow a --host other than loopback. The server speaks plaintext gRPC: put it behind TLS and set --token.",
        };
        var command = new Command("connect-server", "Serve the embedded engine to Spark Connect clients (sc://HOST:PORT) until Ctrl+C or SIGTERM.")
        {
            port, host, token, warehouse, allowRemote,
        };
        command.SetAction((r, cancellationToken) => CliApp.GuardAsync(context, () => ServeAsync(
            context,
            new ConnectServerOptions
            {
                Host = CheckHost(r.GetRequiredValue(host), r.GetValue(allowRemote)),
                Port = CheckPort(r.GetValue(port)),
                Token = r.GetValue(token) is { Length: > 0 } t ? t : null,
                Engine = new EmbeddedOptions { Warehouse = Path.GetFullPath(r.GetRequiredValue(warehouse)) },
            },
            cancellationToken)));
        return command;
    }

    /// <summary>Starts the server, prints where it listens, and serves until <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <returns><see cref="ExitCodes.Ok"/> once stopped on request.</returns>
    internal static async Task<int> ServeAsync(CliContext context, ConnectServerOptions options, CancellationToken cancellationToken)
    {
        if (!IPAddress.IsLoopback(ParseHost(options.Host)) && options.Token is null)
        {
            context.Error.WriteLine($"lakehouse: warning: listening on {options.Host} without --token: anyone who can reach the port can read and write {options.Engine.Warehouse}.");
        }

        ConnectServer server;
        try
        {
            server = await ConnectServer.StartAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Ok;
        }
        catch (IOException e)
        {
            throw new IOException($"{e.Message} Stop what uses port {options.Port} or pass another --port (0 picks a free one).", e);
        }

        await using (server.ConfigureAwait(false))
        {
            context.Output.WriteLine($"Spark Connect server listening on {Redacted(server.ConnectionString, options.Token)} (warehouse {options.Engine.Warehouse}); Ctrl+C stops it.");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C or SIGTERM: the normal end of a server; disposing drains and frees every session.
            }
        }

        return ExitCodes.Ok;
    }

    /// <summary>The connection string clients use, with the token shown as <c>&lt;redacted&gt;</c> so it never lands in logs.</summary>
    // A token makes Spark Connect clients default to TLS; this server speaks plaintext, so the string says use_ssl=false.
    internal static string Redacted(string connectionString, string? token) =>
        token is null ? connectionString : connectionString + "/;token=<redacted>;use_ssl=false";

    /// <summary>Returns <paramref name="host"/> when the server may listen there: loopback, or anything with <paramref name="allowRemote"/>.</summary>
    /// <exception cref="CliUsageException">The host is not an IP address, or not loopback without <paramref name="allowRemote"/>.</exception>
    internal static string CheckHost(string host, bool allowRemote)
    {
        var address = ParseHost(host);
        if (!allowRemote && !IPAddress.IsLoopback(address))
        {
            throw new CliUsageException(
                $"--host {host} is not a loopback address; the server listens on loopback only unless told otherwise. " +
                "Pass --allow-remote (and --token, behind TLS) to serve other machines, or use --host 127.0.0.1.");
        }

        return host;
    }

    private static int CheckPort(int port) =>
        port is >= 0 and <= 65535 ? port : throw new CliUsageException($"--port {port} is out of range; use 0-65535 (0 picks a free port).");

    private static IPAddress ParseHost(string host) =>
        host == "localhost" ? IPAddress.Loopback
        : IPAddress.TryParse(host, out var address) ? address
        : throw new CliUsageException($"--host '{host}' is not an IP address; use e.g. 127.0.0.1, ::1 or (with --allow-remote) 0.0.0.0.");
}
