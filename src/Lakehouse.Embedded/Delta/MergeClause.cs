namespace Lakehouse.Embedded.Delta;

/// <summary>What a MERGE clause does to the row it applies to.</summary>
internal enum MergeActionKind
{
    Update,
    Delete,
    Insert,
}

/// <summary>
/// One WHEN clause of a MERGE, translated: its code (matched clauses 1…, not-matched 101…, not-matched-by-source
/// 201…, so that a row's code says both which clause applied and of which kind), its condition, and for updates and
/// inserts the DuckDB expression of every column it sets.
/// </summary>
/// <param name="Code">The clause's code; clauses of a kind are tried in code order.</param>
/// <param name="Action">Update, delete or insert.</param>
/// <param name="ConditionSql">The clause condition, or null when unconditional.</param>
/// <param name="ConditionText">The condition as the user wrote it, for commitInfo.</param>
/// <param name="Values">Column name → value SQL (update: only the assigned columns; insert: every column set).</param>
internal sealed record MergeClause(int Code, MergeActionKind Action, string? ConditionSql, string? ConditionText, IReadOnlyDictionary<string, string> Values)
{
    public const int NotMatchedBase = 100;
    public const int NotMatchedBySourceBase = 200;

    public bool IsMatched => Code < NotMatchedBase;

    public bool IsNotMatched => Code is > NotMatchedBase and < NotMatchedBySourceBase;

    public bool IsNotMatchedBySource => Code > NotMatchedBySourceBase;

    /// <summary>Delta's actionType name in commitInfo's predicates (update, delete, insert).</summary>
    public string ActionType => Action.ToString().ToLowerInvariant();
}
