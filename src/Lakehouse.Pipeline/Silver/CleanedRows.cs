using Lakehouse.Spark;

namespace Lakehouse.Pipeline.Silver;

/// <summary>What <see cref="Cleaning"/> returns: the cleaned rows and the names a caller would otherwise ask the engine for.</summary>
/// <param name="Frame">The cleaned rows: bronze's columns, the raw copies and the cast rules' flags.</param>
/// <param name="CastRules">The implicit rule of each cast.</param>
/// <param name="RawColumns">The data columns as bronze has them (each kept as a raw copy).</param>
/// <param name="DataColumns">The data columns after cleaning (renamed, plus columns only a default fills), in order.</param>
internal sealed record CleanedRows(DataFrame Frame, IReadOnlyList<Rule> CastRules, IReadOnlyList<string> RawColumns, IReadOnlyList<string> DataColumns);
