using System.Globalization;

namespace Lakehouse.Spark.Connect;

/// <summary>
/// A parsed Spark Connect connection string: <c>sc://host[:port][/;key=value;…]</c>, or <c>local</c>
/// for the in-process embedded engine. Grammar and parameters follow Spark's
/// <c>sql/connect/docs/client-connection-string.md</c>.
/// </summary>
public sealed class SparkConnectionString
{
    /// <summary>The port used when the string names none (Spark's <c>CONNECT_GRPC_BINDING_PORT</c>).</summary>
    public const int DefaultPort = 15002;

    /// <summary>The client's maximum inbound message size when <c>grpc_max_message_size</c> is absent: 128 MiB.</summary>
    public const int DefaultMaxMessageSize = 128 * 1024 * 1024;

    private static readonly HashSet<string> KnownKeys =
        ["token", "use_ssl", "user_id", "user_agent", "session_id", "grpc_max_message_size"];

    private SparkConnectionString(string original) => Original = original;

    /// <summary>The string as given.</summary>
    public string Original { get; }

    /// <summary>True for <c>local</c> / <c>local[…]</c>: the plan runs on the registered in-process engine.</summary>
    public bool IsLocal { get; private init; }

    /// <summary>Server host name or address (without IPv6 brackets); empty for local.</summary>
    public string Host { get; private init; } = "";

    /// <summary>Server port; <see cref="DefaultPort"/> when absent.</summary>
    public int Port { get; private init; } = DefaultPort;

    /// <summary>Bearer token sent as <c>authorization: Bearer …</c>, or null.</summary>
    public string? Token { get; private init; }

    /// <summary>
    /// Whether to use TLS. Defaults to false, or to true when a token is given (the spec: a token enables
    /// TLS); an explicit <c>use_ssl=false</c> with a token is honoured for plaintext pre-shared-key servers.
    /// </summary>
    public bool UseSsl { get; private init; }

    /// <summary>The <c>UserContext.user_id</c> sent with every request; defaults to the OS user name.</summary>
    public string UserId { get; private init; } = "";

    /// <summary>The <c>client_type</c> sent with every request.</summary>
    public string UserAgent { get; private init; } = "_LAKEHOUSE_SPARK_CONNECT_DOTNET";

    /// <summary>The session id (a UUID); a fresh random one when absent.</summary>
    public Guid SessionId { get; private init; }

    /// <summary>Maximum inbound gRPC message size in bytes.</summary>
    public int MaxMessageSize { get; private init; } = DefaultMaxMessageSize;

    /// <summary>Parameters the spec does not define; sent verbatim as gRPC metadata on every call.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; private init; } = new Dictionary<string, string>();

    /// <summary>The gRPC address (<c>http(s)://host:port</c>) for remote strings.</summary>
    public Uri Address => IsLocal
        ? throw new InvalidOperationException("A local connection string has no network address.")
        : new UriBuilder(UseSsl ? "https" : "http", Host, Port).Uri;

    /// <summary>Parses a connection string.</summary>
    /// <param name="value">The string, e.g. <c>sc://spark:15002/;token=abc;use_ssl=true</c> or <c>local</c>.</param>
    /// <exception cref="ArgumentException">The string is malformed; the message names the part and the expected form.</exception>
    public static SparkConnectionString Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = value.Trim();
        if (text == "local" || (text.StartsWith("local[", StringComparison.Ordinal) && text.EndsWith(']')))
        {
            return new SparkConnectionString(value) { IsLocal = true, SessionId = Guid.NewGuid(), UserId = DefaultUser() };
        }

        const string scheme = "sc://";
        if (!text.StartsWith(scheme, StringComparison.Ordinal))
        {
            throw Bad(value, "it must start with 'sc://' (or be 'local')");
        }

        var rest = text[scheme.Length..];
        var slash = rest.IndexOf('/');
        var authority = slash < 0 ? rest : rest[..slash];
        var tail = slash < 0 ? "" : rest[slash..];
        var (host, port) = ParseAuthority(value, authority);

        // Spec: the path must be empty; parameters follow as HTTP path parameters "/;k=v;k=v".
        if (tail.Length > 0 && tail != "/" && !tail.StartsWith("/;", StringComparison.Ordinal))
        {
            throw Bad(value, $"the path '{tail}' is not allowed; parameters go after '/;' as in sc://host:port/;token=…");
        }

        var parameters = ParseParameters(value, tail.Length > 1 ? tail[2..] : "");
        var token = parameters.GetValueOrDefault("token");
        bool useSsl = token is not null;
        if (parameters.TryGetValue("use_ssl", out var ssl))
        {
            useSsl = ParseBool(value, "use_ssl", ssl);
        }

        var sessionId = Guid.NewGuid();
        if (parameters.TryGetValue("session_id", out var sid) && !Guid.TryParseExact(sid, "D", out sessionId))
        {
            throw Bad(value, $"session_id '{sid}' is not a UUID (like 3f1c2a9e-0b7d-4e55-9a3e-2f6c1d8b7a10)");
        }

        var maxSize = DefaultMaxMessageSize;
        if (parameters.TryGetValue("grpc_max_message_size", out var size)
            && (!int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out maxSize) || maxSize <= 0))
        {
            throw Bad(value, $"grpc_max_message_size '{size}' is not a positive number of bytes");
        }

        return new SparkConnectionString(value)
        {
            Host = host,
            Port = port,
            Token = token,
            UseSsl = useSsl,
            UserId = parameters.GetValueOrDefault("user_id") ?? DefaultUser(),
            UserAgent = parameters.GetValueOrDefault("user_agent") ?? "_LAKEHOUSE_SPARK_CONNECT_DOTNET",
            SessionId = sessionId,
            MaxMessageSize = maxSize,
            Headers = parameters.Where(p => !KnownKeys.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value),
        };
    }

    /// <inheritdoc />
    public override string ToString() => IsLocal ? "local" : $"sc://{Host}:{Port}";

    private static (string Host, int Port) ParseAuthority(string original, string authority)
    {
        if (authority.Length == 0)
        {
            throw Bad(original, "the host is missing, as in sc://localhost:15002");
        }

        string host;
        string? portText = null;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']');
            if (close < 0)
            {
                throw Bad(original, "the IPv6 address is missing its closing ']'");
            }

            host = authority[1..close];
            var after = authority[(close + 1)..];
            if (after.Length > 0)
            {
                portText = after.StartsWith(':') ? after[1..] : throw Bad(original, $"unexpected '{after}' after the IPv6 address");
            }
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            host = colon < 0 ? authority : authority[..colon];
            portText = colon < 0 ? null : authority[(colon + 1)..];
        }

        if (host.Length == 0 || host.Contains('@') || host.Contains(';'))
        {
            throw Bad(original, $"'{host}' is not a host name");
        }

        var port = DefaultPort;
        if (portText is not null
            && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            throw Bad(original, $"port '{portText}' is not a number between 1 and 65535");
        }

        return (host, port);
    }

    private static Dictionary<string, string> ParseParameters(string original, string text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in text.Split(';'))
        {
            if (part.Length == 0)
            {
                continue;
            }

            var eq = part.IndexOf('=');
            if (eq <= 0)
            {
                throw Bad(original, $"parameter '{part}' is not of the form key=value");
            }

            var key = part[..eq];
            if (!result.TryAdd(key, Uri.UnescapeDataString(part[(eq + 1)..])))
            {
                throw Bad(original, $"parameter '{key}' is given twice");
            }
        }

        return result;
    }

    private static bool ParseBool(string original, string key, string text) => text.ToLowerInvariant() switch
    {
        "true" => true,
        "false" => false,
        _ => throw Bad(original, $"{key} must be 'true' or 'false', not '{text}'"),
    };

    private static string DefaultUser() => Environment.GetEnvironmentVariable("USER") ?? Environment.UserName;

    private static ArgumentException Bad(string original, string reason) =>
        new($"Invalid Spark Connect connection string '{Redact(original)}': {reason}.", "value");

    // Never echo a token into an exception message.
    private static string Redact(string text)
    {
        var i = text.IndexOf(";token=", StringComparison.Ordinal);
        if (i < 0)
        {
            return text;
        }

        var end = text.IndexOf(';', i + 7);
        return text[..(i + 7)] + "***" + (end < 0 ? "" : text[end..]);
    }
}
