using System.Text.RegularExpressions;
using Google.Protobuf;
using Lakehouse.Embedded.Execution;
using Lakehouse.Spark.Protos;
using Lakehouse.Spark.Protos.Delta;

namespace Lakehouse.Embedded.Delta;

/// <summary>
/// Delta's <c>OPTIMIZE table [WHERE predicate] [ZORDER BY (col, …)]</c> statement in <c>spark.sql</c> text (docs.delta.io,
/// "Optimizations"), which the DeltaTable API sends when it renders Delta SQL; run as the Delta Connect
/// <c>OptimizeTable</c> message is.
/// </summary>
internal static partial class OptimizeStatement
{
    /// <summary>
    /// Runs <paramref name="sql"/> when it is an OPTIMIZE statement and returns its row (path, metrics) as a local relation
    /// (Spark answers a command with its rows, so the client never runs it twice); null when it is not one.
    /// </summary>
    public static Relation? TryRun(EngineSession session, string sql, CancellationToken cancellationToken)
    {
        var m = Statement().Match(sql);
        if (!m.Success)
        {
            return null;
        }

        var optimize = new OptimizeTable { Table = VacuumStatement.Table(m.Groups["table"].Value) };
        if (m.Groups["where"].Success)
        {
            optimize.PartitionFilters.Add(m.Groups["where"].Value.Trim());
        }

        if (m.Groups["z"].Success)
        {
            optimize.ZorderColumns.AddRange(Column().Matches(m.Groups["z"].Value)
                .Select(c => c.Groups["q"].Success ? c.Groups["q"].Value.Replace("``", "`", StringComparison.Ordinal) : c.Value));
        }

        var resultSql = DeltaMaintenanceSql.Optimize(session, optimize, cancellationToken);
        var batch = session.QueryAsync(resultSql, cancellationToken).ToBlockingEnumerable(cancellationToken).Single();
        return new Relation { LocalRelation = new LocalRelation { Data = ByteString.CopyFrom(ArrowResults.Serialize(batch)) } };
    }

    [GeneratedRegex(@"^\s*OPTIMIZE\s+(?<table>(?:`(?:[^`]|``)+`|[A-Za-z_][\w]*)(?:\.(?:`(?:[^`]|``)+`|[A-Za-z_][\w]*))*)(?:\s+WHERE\s+(?<where>.+?))?(?:\s+ZORDER\s+BY\s*(?<z>\([^)]*\)|(?:`(?:[^`]|``)+`|[A-Za-z_][\w]*)(?:\s*,\s*(?:`(?:[^`]|``)+`|[A-Za-z_][\w]*))*))?\s*;?\s*$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Statement();

    [GeneratedRegex(@"`(?<q>(?:[^`]|``)+)`|[A-Za-z_][\w.]*")]
    private static partial Regex Column();
}
