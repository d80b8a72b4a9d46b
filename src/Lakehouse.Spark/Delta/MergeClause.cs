namespace Lakehouse.Spark.Delta;

/// <summary>Which rows a MERGE clause applies to.</summary>
internal enum MergeClauseGroup
{
    Matched,
    NotMatched,
    NotMatchedBySource,
}

/// <summary>What a MERGE clause does to the rows it applies to.</summary>
internal enum MergeActionKind
{
    Update,
    UpdateAll,
    Delete,
    Insert,
    InsertAll,
}

/// <summary>One <c>WHEN … [AND condition] THEN action</c> clause; assignments keep the caller's order.</summary>
internal sealed record MergeClause(
    MergeClauseGroup Group, MergeActionKind Action, Column? Condition, IReadOnlyList<KeyValuePair<string, Column>> Assignments);
