using System.Globalization;
using Lakehouse.Delta.Snapshots;
using Lakehouse.Delta.Transactions;
using Lakehouse.Embedded.Execution;

namespace Lakehouse.Embedded.Delta;

/// <summary>
/// The session confs Delta documents for DML and writes: <c>spark.databricks.delta.write.txnAppId</c> +
/// <c>spark.databricks.delta.write.txnVersion</c> make an operation idempotent (an already committed pair turns it
/// into a no-op), and <c>spark.databricks.delta.commitInfo.userMetadata</c> goes to <c>commitInfo.userMetadata</c>.
/// </summary>
/// <param name="AppId">The application id, or null when the operation is not idempotent.</param>
/// <param name="AppVersion">The application's version for <paramref name="AppId"/>.</param>
/// <param name="UserMetadata">The user metadata, or null.</param>
internal sealed record CommitSettings(string? AppId, long AppVersion, string? UserMetadata)
{
    public const string TxnAppIdKey = "spark.databricks.delta.write.txnAppId";
    public const string TxnVersionKey = "spark.databricks.delta.write.txnVersion";
    public const string UserMetadataKey = "spark.databricks.delta.commitInfo.userMetadata";

    /// <summary>The settings of a session; writer options (<c>txnAppId</c>, <c>txnVersion</c>, <c>userMetadata</c>) win over the confs.</summary>
    /// <exception cref="EmbeddedException">Only one of app id and version is set, or the version is not a number.</exception>
    public static CommitSettings From(SessionConfig config, IReadOnlyDictionary<string, string>? options = null)
    {
        string? Option(string key) => options is not null && options.TryGetValue(key, out var v) ? v : null;
        var appId = Option("txnAppId") ?? config.Get(TxnAppIdKey);
        var versionText = Option("txnVersion") ?? config.Get(TxnVersionKey);
        if ((appId is null) != (versionText is null))
        {
            throw Errors.InvalidArgument("txnAppId/txnVersion",
                $"both {TxnAppIdKey} and {TxnVersionKey} (or the writer options txnAppId and txnVersion) must be set for an idempotent write; only one is");
        }

        long version = 0;
        if (versionText is not null && !long.TryParse(versionText, NumberStyles.Integer, CultureInfo.InvariantCulture, out version))
        {
            throw Errors.InvalidArgument("txnVersion", $"'{versionText}' is not a number");
        }

        return new CommitSettings(appId, version, Option("userMetadata") ?? config.Get(UserMetadataKey));
    }

    /// <summary>True when <paramref name="snapshot"/> already has this application transaction: the operation must do nothing.</summary>
    public bool AlreadyApplied(Snapshot snapshot) => AppId is { } id && snapshot.TransactionVersion(id) >= AppVersion;

    /// <summary>Records the application transaction and the user metadata in <paramref name="txn"/>.</summary>
    public void Apply(Transaction txn)
    {
        if (AppId is { } id)
        {
            txn.SetAppTransaction(id, AppVersion);
        }

        txn.SetUserMetadata(UserMetadata);
    }
}
