using System.Collections.Concurrent;
using Lakehouse.Spark.Connect;
using Lakehouse.Spark.Protos;

namespace Lakehouse.Spark;

/// <summary>Session configuration through the Config RPC (<c>spark.conf</c>).</summary>
public sealed class RuntimeConfig
{
    /// <summary>Keys with this prefix configure the client itself; their values are also kept client-side.</summary>
    internal const string ClientPrefix = "lakehouse.";

    private readonly SparkConnectClient _client;

    // Client settings must be readable without a round trip (DeltaTable picks its rendering synchronously).
    private readonly ConcurrentDictionary<string, string> _clientValues = new(StringComparer.Ordinal);

    internal RuntimeConfig(SparkConnectClient client) => _client = client;

    /// <summary>Sets a value.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="SparkConnectException">The key cannot be changed at runtime (a static conf), or the server failed.</exception>
    public Task SetAsync(string key, string value, CancellationToken cancellationToken = default) =>
        SetAsync(new Dictionary<string, string> { [key] = value }, cancellationToken);

    /// <summary>Sets several values in one call.</summary>
    /// <param name="values">Key/value pairs.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task SetAsync(IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken = default)
    {
        var set = new ConfigRequest.Types.Set();
        set.Pairs.AddRange(values.Select(p => new KeyValue { Key = p.Key, Value = p.Value }));
        await _client.ConfigAsync(new() { Set = set }, cancellationToken).ConfigureAwait(false);
        foreach (var (key, value) in values)
        {
            if (key.StartsWith(ClientPrefix, StringComparison.Ordinal))
            {
                _clientValues[key] = value;
            }
        }
    }

    /// <summary>Gets a value; with <paramref name="defaultValue"/> an unset key yields it instead of failing.</summary>
    /// <param name="key">The key.</param>
    /// <param name="defaultValue">The value for an unset key; null to ask for the key's own default.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The value, or null when the key has no value.</returns>
    /// <exception cref="SparkConnectException">The key is unknown and no default was given.</exception>
    public async Task<string?> GetAsync(string key, string? defaultValue = null, CancellationToken cancellationToken = default)
    {
        var operation = defaultValue is null
            ? new ConfigRequest.Types.Operation { Get = new() { Keys = { key } } }
            : new ConfigRequest.Types.Operation { GetWithDefault = new() { Pairs = { new KeyValue { Key = key, Value = defaultValue } } } };
        var response = await _client.ConfigAsync(operation, cancellationToken).ConfigureAwait(false);
        var pair = response.Pairs.FirstOrDefault();
        return pair is { HasValue: true } ? pair.Value : null;
    }

    /// <summary>Removes a value so the default applies again.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task UnsetAsync(string key, CancellationToken cancellationToken = default)
    {
        await _client.ConfigAsync(new() { Unset = new() { Keys = { key } } }, cancellationToken).ConfigureAwait(false);
        _clientValues.TryRemove(key, out _);
    }

    /// <summary>A <c>lakehouse.*</c> value this session set (through the builder or <see cref="SetAsync(string, string, CancellationToken)"/>), without a server call.</summary>
    internal string? ClientValue(string key) => _clientValues.TryGetValue(key, out var value) ? value : null;

    /// <summary>All values set in the session, optionally only keys starting with <paramref name="prefix"/>.</summary>
    /// <param name="prefix">Key prefix, or null for all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyDictionary<string, string?>> GetAllAsync(string? prefix = null, CancellationToken cancellationToken = default)
    {
        var getAll = new ConfigRequest.Types.GetAll();
        if (prefix is not null)
        {
            getAll.Prefix = prefix;
        }

        var response = await _client.ConfigAsync(new() { GetAll = getAll }, cancellationToken).ConfigureAwait(false);
        return response.Pairs.ToDictionary(p => p.Key, p => p.HasValue ? p.Value : null);
    }
}
