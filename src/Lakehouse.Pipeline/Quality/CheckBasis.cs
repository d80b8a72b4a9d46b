using System.Globalization;
using System.Text.RegularExpressions;
using Lakehouse.Pipeline.Configuration;

namespace Lakehouse.Pipeline.Quality;

/// <summary>
/// The text of <c>ops.dq_results.basis</c>: the check's definition and the commit of each table it read, e.g.
/// <c>unique order_id; silver.orders v12 @1763931234567 batch 57</c> or <c>relationship customer_id -&gt;
/// silver.customers.customer_id; silver.orders v12 @1763931234567 batch 57; silver.customers v7 @1763931200000</c>.
/// A table's part names its version, that commit's time (Unix ms, so a table written anew that reaches the same
/// version number is told apart) and, for a silver table, the highest bronze batch consumed at that version.
/// </summary>
internal static partial class CheckBasis
{
    /// <summary>One table's commit as a basis names it.</summary>
    /// <param name="Table">The table, e.g. <c>silver.orders</c>.</param>
    /// <param name="Version">The version read.</param>
    /// <param name="Time">That version's commit time, Unix ms.</param>
    /// <param name="Batch">The highest bronze <c>_batch_id</c> consumed at that version (silver tables); null otherwise.</param>
    public sealed record At(string Table, long Version, long Time, long? Batch)
    {
        public override string ToString() => Batch is { } b
            ? string.Create(CultureInfo.InvariantCulture, $"{Table} v{Version} @{Time} batch {b}")
            : string.Create(CultureInfo.InvariantCulture, $"{Table} v{Version} @{Time}");
    }

    /// <summary>What a check is, independent of its name and severity: a result is only carried over to the same
    /// definition (bounds, values and columns included).</summary>
    public static string Definition(TableCheckConfig check) => check.Type switch
    {
        TableCheckType.NotNull => "not_null " + string.Join(", ", check.Columns),
        TableCheckType.Unique => "unique " + string.Join(", ", check.Columns),
        TableCheckType.AcceptedValues => $"accepted_values {check.Column} in [{string.Join(", ", check.Values)}]",
        TableCheckType.Range => string.Create(CultureInfo.InvariantCulture, $"range {check.Column} [{check.Min?.ToString("R", CultureInfo.InvariantCulture) ?? "-inf"}, {check.Max?.ToString("R", CultureInfo.InvariantCulture) ?? "+inf"}]"),
        TableCheckType.Freshness => $"freshness {check.Column}",
        TableCheckType.Relationship => $"relationship {check.Column} -> {check.To}.{check.ToColumn}",
        _ => CheckRun.TypeName(check.Type),
    };

    public static string Format(TableCheckConfig check, At self, At? other = null) =>
        other is null ? $"{Definition(check)}; {self}" : $"{Definition(check)}; {self}; {other}";

    /// <summary>The tables of a basis written by <see cref="Format"/> for <paramref name="check"/>; null when the basis is
    /// another definition's or in another (older) form.</summary>
    public static (At Self, At? Other)? Parse(TableCheckConfig check, string? basis)
    {
        var prefix = Definition(check) + "; ";
        if (basis is null || !basis.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = basis[prefix.Length..].Split("; ");
        var tables = parts.Select(ParseAt).ToList();
        return tables switch
        {
            [{ } self] => (self, null),
            [{ } self, { } other] => (self, other),
            _ => null,
        };
    }

    private static At? ParseAt(string text)
    {
        var m = AtPattern().Match(text);
        if (!m.Success)
        {
            return null;
        }

        static long L(Group g) => long.Parse(g.Value, CultureInfo.InvariantCulture);
        return new At(m.Groups["t"].Value, L(m.Groups["v"]), L(m.Groups["time"]), m.Groups["b"].Success ? L(m.Groups["b"]) : null);
    }

    [GeneratedRegex(@"^(?<t>\S+) v(?<v>\d+) @(?<time>-?\d+)(?: batch (?<b>-?\d+))?$", RegexOptions.CultureInvariant)]
    private static partial Regex AtPattern();
}
