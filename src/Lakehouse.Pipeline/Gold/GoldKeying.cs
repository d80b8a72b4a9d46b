using Lakehouse.Spark;

namespace Lakehouse.Pipeline.Gold;

/// <summary>
/// How a model's rows follow from its inputs key by key, which lets the gold job update only the keys whose input rows
/// changed instead of rebuilding the table. The contract a model states with it: every output row has a value of
/// <see cref="Column"/>, and the output rows with value k are computed from exactly the input rows whose key
/// (<see cref="KeyedInput.Key"/>, compared null-safely) is k, plus the model's date. Then the model run over only the
/// input rows of some keys gives exactly the output rows of those keys, and replacing those rows of the table gives
/// the table a full rebuild would write.
/// </summary>
/// <param name="Column">The output column that holds the key (e.g. <c>customer_id</c>).</param>
/// <param name="Inputs">Per input table (every one of the model's inputs), the key of its rows and the columns the model reads.</param>
internal sealed record GoldKeying(string Column, IReadOnlyDictionary<string, KeyedInput> Inputs);

/// <summary>One input of a <see cref="GoldKeying"/>.</summary>
/// <param name="Key">The output key an input row contributes to, as an expression over <paramref name="Columns"/>.</param>
/// <param name="Columns">Every column of the input the model reads: a change in any other column cannot change the
/// model's rows, so only these are compared between versions.</param>
internal sealed record KeyedInput(Column Key, IReadOnlyList<string> Columns);
