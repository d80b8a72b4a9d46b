using Google.Protobuf;
using Lakehouse.Embedded.Sql;
using Lakehouse.Spark.Protos;

namespace Lakehouse.Embedded.Execution;

/// <summary>
/// The relations a session persisted (<c>AnalyzePlan.persist</c>). A relation is recognised by its serialized plan, so
/// every later plan that contains the same subtree (a DataFrame built on the persisted one) reads the kept result. The
/// result is computed at the first execution that contains the relation, into a DuckDB temporary table (which spills to
/// the engine's temp directory under its memory limit), and kept until unpersist or the session's end; analysis
/// (schema, explain) never computes it. As on Spark, the kept rows are those of that first execution.
/// </summary>
internal sealed class RelationCache
{
    private readonly List<Entry> _entries = [];
    private int _counter;

    public bool IsEmpty => _entries.Count == 0;

    public void Add(Relation relation)
    {
        var key = relation.ToByteString();
        if (!_entries.Any(e => e.Key.Equals(key)))
        {
            _entries.Add(new Entry(key));
        }
    }

    /// <summary>Forgets a relation; returns the temporary table to drop, if it was computed.</summary>
    public string? Remove(Relation relation)
    {
        var key = relation.ToByteString();
        var entry = _entries.FirstOrDefault(e => e.Key.Equals(key));
        if (entry is null)
        {
            return null;
        }

        _entries.Remove(entry);
        return entry.Table;
    }

    /// <summary>The tables of every computed entry (to drop at the session's end).</summary>
    public IEnumerable<string> Tables => _entries.Where(e => e.Table is not null).Select(e => e.Table!);

    /// <summary>
    /// The frame of a persisted relation: the kept result when computed; computed now (by <paramref name="materialize"/>,
    /// which creates the table from the SQL) when <paramref name="execute"/> is set; null when the relation is not
    /// persisted or may not be computed now (then it is translated as usual).
    /// </summary>
    public Frame? Lookup(Relation relation, bool execute, Func<Relation, Frame> translate, Action<string, string> materialize)
    {
        var size = relation.CalculateSize();
        var key = relation.ToByteString();
        var entry = _entries.FirstOrDefault(e => e.Key.Length == size && e.Key.Equals(key));
        if (entry is null)
        {
            return null;
        }

        if (entry.Frame is not null)
        {
            return entry.Frame;
        }

        if (!execute)
        {
            return null;
        }

        var frame = translate(relation);
        var table = $"__lakehouse_cache_{++_counter}";
        materialize(table, frame.Sql);
        entry.Table = table;
        entry.Frame = frame with { Sql = $"SELECT * FROM {SqlText.Ident(table)}" };
        return entry.Frame;
    }

    private sealed class Entry(ByteString key)
    {
        public ByteString Key { get; } = key;

        public string? Table { get; set; }

        public Frame? Frame { get; set; }
    }
}
