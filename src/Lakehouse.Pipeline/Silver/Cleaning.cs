using Lakehouse.Pipeline.Bronze;
using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Hosting;
using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Silver;

/// <summary>
/// Applies a source's cleaning rules in the order rename, trim (blank text becomes null), lower, cast, defaults. A cast uses try-cast: a
/// non-empty value that does not convert becomes null and fails the implicit rule <c>cast_&lt;column&gt;</c>, which
/// quarantines the row with its raw values (nothing is lost, and a fixed rule can replay it). Empty text casts to
/// null without failing.
/// </summary>
internal static class Cleaning
{
    public static async Task<(DataFrame Frame, IReadOnlyList<Rule> CastRules)> ApplyAsync(
        DataFrame bronze, SourceConfig source, CancellationToken ct)
    {
        var clean = source.Clean;
        var columns = (await bronze.ColumnsAsync(ct).ConfigureAwait(false)).ToList();
        var data = columns.Where(c => !BronzeColumns.All.Contains(c)).ToList();
        var frame = bronze.Select([.. columns.Select(Col), .. data.Select(c => Col(c).Alias(SilverColumns.RawPrefix + c))]);

        var renames = clean.Rename.Where(r => data.Contains(r.Key, StringComparer.OrdinalIgnoreCase)).ToDictionary(r => r.Key, r => r.Value);
        if (renames.Count > 0)
        {
            frame = frame.WithColumnsRenamed(renames);
            data = data.Select(c => renames.FirstOrDefault(r => string.Equals(r.Key, c, StringComparison.OrdinalIgnoreCase)).Value ?? c).ToList();
        }

        bool Has(string c) => data.Contains(c, StringComparer.OrdinalIgnoreCase);
        void Require(IEnumerable<string> names, string field)
        {
            foreach (var name in names.Where(n => !Has(n)))
            {
                throw new PipelineConfigException(
                    null, null, $"sources.{source.Name}.clean.{field}",
                    $"names the column '{name}', which the data of {source.BronzeTable} does not have; its columns are: {string.Join(", ", data)}.");
            }
        }

        Require(clean.Trim, "trim");
        Require(clean.Lower, "lower");
        Require(clean.Cast.Keys, "cast");

        var changes = new Dictionary<string, Column>(StringComparer.OrdinalIgnoreCase);
        foreach (var c in data)
        {
            var value = Col(c);
            var touched = false;
            if (clean.Trim.Contains(c, StringComparer.OrdinalIgnoreCase))
            {
                // Text that is only whitespace carries no value: null, so defaults and not-null rules see it.
                value = When(Trim(value) == Lit(""), Lit(null).Cast("string")).Otherwise(Trim(value));
                touched = true;
            }

            if (clean.Lower.Contains(c, StringComparer.OrdinalIgnoreCase))
            {
                value = Lower(value);
                touched = true;
            }

            if (touched)
            {
                changes[c] = value;
            }
        }

        if (changes.Count > 0)
        {
            frame = frame.WithColumns(changes);
        }

        var castRules = new List<Rule>();
        var casts = new Dictionary<string, Column>(StringComparer.OrdinalIgnoreCase);
        var flags = new Dictionary<string, Column>(StringComparer.Ordinal);
        foreach (var (column, type) in clean.Cast)
        {
            var text = Col(column).Cast("string");
            var cast = When(text.IsNull() | (Trim(text) == Lit("")), Lit(null).Cast(type)).Otherwise(Trim(text).TryCast(type));
            var rule = new Rule($"cast_{column}", $"{column} is not a valid {type}", ExpectationAction.Quarantine, Implicit: true);
            flags[rule.Flag] = text.IsNotNull() & (Trim(text) != Lit("")) & cast.IsNull();
            casts[column] = cast;
            castRules.Add(rule);
        }

        if (flags.Count > 0)
        {
            // Flags first: they read the uncast values.
            frame = frame.WithColumns(flags).WithColumns(casts);
        }

        var defaults = new Dictionary<string, Column>(StringComparer.OrdinalIgnoreCase);
        foreach (var (column, text) in clean.Defaults)
        {
            var literal = clean.Cast.TryGetValue(column, out var type) ? Lit(text).Cast(type) : Lit(text);
            defaults[column] = Has(column) ? Coalesce(Col(column), literal) : literal;
        }

        if (defaults.Count > 0)
        {
            frame = frame.WithColumns(defaults);
        }

        return (frame, castRules);
    }
}
