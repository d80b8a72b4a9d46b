using Serilog;

namespace Lakehouse.Pipeline.Quality;

/// <summary>What <see cref="TableChecks.RunAsync"/> needs besides the checks: the run, its clock and where tables live.</summary>
public sealed record CheckContext
{
    /// <summary>The run id written with every result.</summary>
    public required string RunId { get; init; }

    /// <summary>The run's clock: freshness is measured to it and results are stamped with it.</summary>
    public required DateTimeOffset Now { get; init; }

    /// <summary>Where a table lives: <c>silver.orders</c> → its Delta location (the pipeline passes
    /// <c>t =&gt; TableLocations.Path(config, t)</c>). The checked table, the tables relationships point to and the
    /// results table are all read and written by path.</summary>
    public required Func<string, string> TablePath { get; init; }

    /// <summary>Tables that keep SCD type 2 history (<c>valid_from</c>, <c>valid_to</c>, <c>is_current</c>; the silver tables of
    /// sources with <c>scd2: true</c>). Checks of such a table, and relationship checks that point to one, see only its
    /// current rows: the table as of now, as gold reads it, so <c>unique: [customer_id]</c> means one current row per
    /// customer. Empty by default.</summary>
    public IReadOnlySet<string> HistoryTables { get; init; } = new HashSet<string>();

    /// <summary>The business key of each source's silver table (<c>silver.customers</c> → <c>[customer_id]</c>): the
    /// silver job's MERGE matches rows on it, so its updates keep those columns' values, and a relationship to one of
    /// them still finds every key it found before. Empty by default (then any update of the other table counts as a
    /// possible loss of keys).</summary>
    internal IReadOnlyDictionary<string, IReadOnlyList<string>> BusinessKeys { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>The table results are appended to; default <c>ops.dq_results</c>.</summary>
    public string ResultsTable { get; init; } = "ops.dq_results";

    /// <summary>How many earlier runs <c>row_count_change</c> averages; default 5.</summary>
    public int HistoryRuns { get; init; } = 5;

    /// <summary>How many failing examples a failed check keeps; default 5.</summary>
    public int MaxExamples { get; init; } = 5;

    /// <summary>Whether appending results compacts the results table when it is fragmented; true by default. A graph
    /// run turns it off and compacts the log tables once at its end.</summary>
    internal bool CompactResults { get; init; } = true;

    /// <summary>Where each result is logged (passed at information, failed at warning); null for nowhere.</summary>
    public ILogger? Log { get; init; }
}
