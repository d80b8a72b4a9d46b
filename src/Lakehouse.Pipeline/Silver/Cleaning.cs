using Lakehouse.Pipeline.Bronze;
using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Hosting;
using Lakehouse.Spark;
using Lakehouse.Spark.Protos;
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
    private const string CastPrefix = "__cast__";

    public static async Task<CleanedRows> ApplyAsync(
        DataFrame bronze, SourceConfig source, CancellationToken ct)
    {
        var clean = source.Clean;
        var fields = (await bronze.SchemaAsync(ct).ConfigureAwait(false)).Struct.Fields;
        var columns = fields.Select(f => f.Name).ToList();
        var data = columns.Where(c => !BronzeColumns.All.Contains(c)).ToList();
        var raw = data.ToList();
        // Columns that hold text already need no cast to string before a cast (a cast node costs the engine a type look-up).
        var textColumns = fields.Where(f => f.DataType.KindCase == DataType.KindOneofCase.String).Select(f => f.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var frame = bronze.Select([.. columns.Select(Col), .. data.Select(c => Col(c).Alias(SilverColumns.RawPrefix + c))]);
        var frameColumns = columns.Concat(data.Select(c => SilverColumns.RawPrefix + c)).ToList();

        var renames = clean.Rename.Where(r => data.Contains(r.Key, StringComparer.OrdinalIgnoreCase)).ToDictionary(r => r.Key, r => r.Value);
        if (renames.Count > 0)
        {
            frame = frame.WithColumnsRenamed(renames);
            string Renamed(string c) => renames.FirstOrDefault(r => string.Equals(r.Key, c, StringComparison.OrdinalIgnoreCase)).Value ?? c;
            data = data.Select(Renamed).ToList();
            frameColumns = frameColumns.Select(Renamed).ToList();
            textColumns = textColumns.Select(Renamed).ToHashSet(StringComparer.OrdinalIgnoreCase);
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
                // Text that is only whitespace carries no value: null (a CASE without ELSE), so defaults and not-null rules see it.
                value = When(Trim(value) != Lit(""), Trim(value));
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
        var casts = new Dictionary<string, Column>(StringComparer.Ordinal);
        var flags = new Dictionary<string, Column>(StringComparer.Ordinal);
        foreach (var (column, type) in clean.Cast)
        {
            var value = textColumns.Contains(column) ? Col(column) : Col(column).Cast("string");
            var working = CastPrefix + column;
            // Blank or null text: null without a failure (a CASE without ELSE).
            casts[working] = When(Trim(value) != Lit(""), Trim(value).TryCast(type));
            var rule = new Rule($"cast_{column}", $"{column} is not a valid {type}", ExpectationAction.Quarantine, Implicit: true);
            flags[rule.Flag] = value.IsNotNull() & (Trim(value) != Lit("")) & Col(working).IsNull();
            castRules.Add(rule);
        }

        if (flags.Count > 0)
        {
            // Each cast is computed once, in its own layer: the flags (which read the uncast values too) and the cast
            // columns both read it there.
            frame = frame.WithColumns(casts).WithColumns(flags);
            var castColumns = clean.Cast.Keys.ToDictionary(c => c, c => CastPrefix + c, StringComparer.OrdinalIgnoreCase);
            var kept = frameColumns.Concat(flags.Keys);
            frame = frame.Select([.. kept.Select(c => castColumns.TryGetValue(c, out var working) ? Col(working).Alias(c) : Col(c))]);
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

        return new CleanedRows(frame, castRules, raw, [.. data, .. defaults.Keys.Where(c => !Has(c))]);
    }
}
