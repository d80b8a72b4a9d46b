using Lakehouse.Spark.Connect;

namespace Lakehouse.Spark;

/// <summary>Configures and opens a <see cref="SparkSession"/>.</summary>
public sealed class SparkSessionBuilder
{
    /// <summary>The environment variable read when <see cref="Remote"/> is not called (as PySpark and Scala do).</summary>
    public const string RemoteEnvironmentVariable = "SPARK_REMOTE";

    private readonly Dictionary<string, string> _config = new(StringComparer.Ordinal);
    private string? _remote;
    private ISparkConnectTransport? _transport;
    private SparkConnectRetryOptions _retry = new();

    internal SparkSessionBuilder()
    {
    }

    /// <summary>
    /// Where plans run: <c>sc://host:port/;token=…;use_ssl=…;user_id=…;session_id=…</c>, or <c>local</c> for the
    /// in-process engine. Without a call, <c>SPARK_REMOTE</c> is used, then <c>local</c>.
    /// </summary>
    /// <param name="connectionString">The connection string.</param>
    public SparkSessionBuilder Remote(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _remote = connectionString;
        return this;
    }

    /// <summary>A session configuration value, set through the Config RPC when the session opens.</summary>
    /// <param name="key">The key, e.g. <c>spark.sql.session.timeZone</c>.</param>
    /// <param name="value">The value.</param>
    public SparkSessionBuilder Config(string key, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        _config[key] = value;
        return this;
    }

    /// <summary>Uses this transport instead of the default (network for <c>sc://</c>, the registered engine for <c>local</c>).</summary>
    /// <param name="transport">The transport.</param>
    public SparkSessionBuilder Transport(ISparkConnectTransport transport)
    {
        _transport = transport ?? throw new ArgumentNullException(nameof(transport));
        return this;
    }

    /// <summary>Replaces the retry policy (see <see cref="SparkConnectRetryOptions"/> for the defaults).</summary>
    /// <param name="options">The policy.</param>
    public SparkSessionBuilder Retry(SparkConnectRetryOptions options)
    {
        _retry = options ?? throw new ArgumentNullException(nameof(options));
        return this;
    }

    /// <summary>Opens the session and applies the configuration given with <see cref="Config"/>.</summary>
    /// <param name="cancellationToken">Cancels the configuration call.</param>
    /// <exception cref="ArgumentException">The connection string is malformed.</exception>
    /// <exception cref="InvalidOperationException"><c>local</c> was asked for and no engine is registered.</exception>
    /// <exception cref="SparkConnectException">The server refused the configuration.</exception>
    public async Task<SparkSession> CreateAsync(CancellationToken cancellationToken = default)
    {
        var session = Build();
        if (_config.Count > 0)
        {
            try
            {
                await session.Conf.SetAsync(_config, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await session.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        return session;
    }

    /// <summary>Opens the session without any network call (configuration is not applied).</summary>
    internal SparkSession Build()
    {
        var remote = _remote ?? Environment.GetEnvironmentVariable(RemoteEnvironmentVariable) ?? "local";
        var connection = SparkConnectionString.Parse(remote);
        var transport = _transport ?? SparkConnectTransports.For(connection);
        var client = new SparkConnectClient(connection, transport.Open(connection), _retry);
        return new SparkSession(client);
    }
}
