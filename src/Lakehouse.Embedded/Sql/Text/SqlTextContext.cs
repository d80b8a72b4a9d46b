namespace Lakehouse.Embedded.Sql.Text;

/// <summary>What a rewrite of Spark SQL text needs from its surroundings.</summary>
/// <param name="Settings">ANSI mode decides NULL or an error for division by zero, invalid casts and array indexes.</param>
/// <param name="Table">Maps a table reference (name parts, version, timestamp) to DuckDB SQL, or null to leave it; null for expression text.</param>
/// <param name="Scope">The columns of the relation an expression string is evaluated over (file metadata), or null.</param>
internal sealed record SqlTextContext(SqlSettings Settings, Func<IReadOnlyList<string>, string?, string?, string?>? Table, Scope? Scope);
