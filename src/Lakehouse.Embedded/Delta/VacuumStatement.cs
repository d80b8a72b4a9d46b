using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Types;
using Google.Protobuf;
using System.Text.RegularExpressions;
using Lakehouse.Embedded.Execution;
using Lakehouse.Spark.Protos;
using Lakehouse.Spark.Protos.Delta;
using DeltaTableProto = Lakehouse.Spark.Protos.Delta.DeltaTable;

namespace Lakehouse.Embedded.Delta;

/// <summary>
/// Delta's <c>VACUUM table [RETAIN n HOURS] [DRY RUN]</c> statement in <c>spark.sql</c> text (docs.delta.io, "Remove
/// files no longer referenced by a Delta table"). Delta Connect has no dry-run field, so clients send the dry run as
/// SQL; the table is <c>delta.`/path`</c> or a (backquoted) table name.
/// </summary>
internal static partial class VacuumStatement
{
    /// <summary>
    /// Runs <paramref name="sql"/> when it is a VACUUM statement and returns its rows as a local relation (Spark answers a
    /// command with its rows, so the client never runs it twice); null when it is not one.
    /// </summary>
    public static Relation? TryRun(EngineSession session, string sql)
    {
        var m = Statement().Match(sql);
        if (!m.Success)
        {
            return null;
        }

        var vacuum = new VacuumTable { Table = Table(m.Groups["table"].Value) };
        if (m.Groups["hours"].Success)
        {
            vacuum.RetentionHours = double.Parse(m.Groups["hours"].Value, CultureInfo.InvariantCulture);
        }

        IReadOnlyList<string> rows;
        if (m.Groups["dry"].Success)
        {
            rows = DeltaMaintenanceSql.VacuumDryRun(session, vacuum);
        }
        else
        {
            DeltaMaintenanceSql.Vacuum(session, vacuum);
            rows = [new Uri(DeltaTarget.PathOf(session, vacuum.Table)).AbsoluteUri];
        }

        var schema = new Schema.Builder().Field(f => f.Name("path").DataType(StringType.Default).Nullable(true)).Build();
        using var batch = new RecordBatch(schema, [new StringArray.Builder().AppendRange(rows).Build()], rows.Count);
        return new Relation { LocalRelation = new LocalRelation { Data = ByteString.CopyFrom(ArrowResults.Serialize(batch)) } };
    }

    internal static DeltaTableProto Table(string text)
    {
        var path = DeltaPath().Match(text);
        if (path.Success)
        {
            return new DeltaTableProto { Path = new DeltaTableProto.Types.Path { Path_ = path.Groups["p"].Value.Replace("``", "`", StringComparison.Ordinal) } };
        }

        var parts = NamePart().Matches(text).Select(p => p.Groups["q"].Success ? p.Groups["q"].Value.Replace("``", "`", StringComparison.Ordinal) : p.Value);
        return new DeltaTableProto { TableOrViewName = string.Join('.', parts) };
    }

    [GeneratedRegex(@"^\s*VACUUM\s+(?<table>(?:`(?:[^`]|``)+`|[A-Za-z_][\w]*)(?:\.(?:`(?:[^`]|``)+`|[A-Za-z_][\w]*))*)(?:\s+RETAIN\s+(?<hours>\d+(?:\.\d+)?)\s+HOURS)?(?<dry>\s+DRY\s+RUN)?\s*;?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Statement();

    [GeneratedRegex(@"^delta\.`(?<p>(?:[^`]|``)+)`$", RegexOptions.IgnoreCase)]
    private static partial Regex DeltaPath();

    [GeneratedRegex(@"`(?<q>(?:[^`]|``)+)`|[A-Za-z_]\w*")]
    private static partial Regex NamePart();
}
