using Lakehouse.Spark;

namespace Lakehouse.Pipeline.Gold;

/// <summary>What a model's update gives the gold job: the rows to merge into its table (the model's columns plus
/// <see cref="DeleteColumn"/>, at most one per key), or why the table must be rebuilt whole instead.</summary>
/// <param name="Rows">The rows of the keys that may have changed, with their values at the new build; a row whose
/// <see cref="DeleteColumn"/> is true removes its key from the table. Null when <paramref name="Rebuild"/> says why not.</param>
/// <param name="Rebuild">Why the update cannot be computed exactly; null when <paramref name="Rows"/> is set.</param>
internal sealed record GoldChanges(DataFrame? Rows, string? Rebuild)
{
    /// <summary>True on a row that removes its key from the table.</summary>
    public const string DeleteColumn = "__gold_delete";

    public static GoldChanges Of(DataFrame rows) => new(rows, null);

    public static GoldChanges Whole(string why) => new(null, why);
}
