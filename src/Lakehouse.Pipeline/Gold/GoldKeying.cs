using Lakehouse.Spark;

namespace Lakehouse.Pipeline.Gold;

/// <summary>
/// How a model's rows follow from its input rows key by key, which lets the gold job recompute only the keys whose
/// input rows changed (<see cref="GoldIncremental"/>). The contract a model states with it: the model has at most one row
/// per value of <see cref="Column"/>, never a null one when a key input row has a non-null key, and the row of key k is
/// computed from exactly the input rows whose key (<see cref="Inputs"/>) is k, plus the model's date. Then the model run
/// over only the input rows of some keys gives exactly the table's rows of those keys.
/// </summary>
/// <param name="Column">The output column that holds the key (e.g. <c>customer_id</c>).</param>
/// <param name="Inputs">Per input table (every one of the model's inputs), the output key an input row contributes to,
/// as an expression over the input's columns.</param>
internal sealed record GoldKeying(string Column, IReadOnlyDictionary<string, Column> Inputs);
