namespace Lakehouse.Embedded.Sql;

/// <summary>A translated expression: DuckDB SQL, the column name Spark would give it, and the input column it is, if it is a bare reference.</summary>
internal sealed record SqlExpr(string Sql, string Name, FrameColumn? Source = null);
