namespace Lakehouse.Embedded.Sql;

/// <summary>The SELECT of a source (a table, files) and, when planning knows them without asking DuckDB, its column
/// names in order (null: the translator DESCRIBEs the SELECT).</summary>
internal sealed record SourceSql(string Sql, IReadOnlyList<string>? Columns = null);
