namespace Lakehouse.Embedded.Sql;

/// <summary>
/// The inputs an expression can reference: one aliased frame for most relations, two for a join. Resolves Spark
/// column references case-insensitively, by DataFrame alias (<c>t.col</c>), by plan id (<c>df["col"]</c>) and into
/// struct fields (<c>col.field</c>).
/// </summary>
internal sealed class Scope(IReadOnlyList<(string Alias, Frame Frame)> inputs)
{
    public IReadOnlyList<(string Alias, Frame Frame)> Inputs { get; } = inputs;

    public static Scope Of(string alias, Frame frame) => new([(alias, frame)]);

    /// <summary>Every column of every input, qualified for SQL.</summary>
    public IEnumerable<(string Sql, FrameColumn Column)> All() =>
        Inputs.SelectMany(i => i.Frame.Columns.Select(c => (Qualified(i.Alias, c), c)));

    /// <summary>Resolves an identifier; raises UNRESOLVED_COLUMN or AMBIGUOUS_REFERENCE.</summary>
    public (string Sql, FrameColumn Column, string Name) Resolve(string identifier, long? planId)
    {
        var parts = SplitIdentifier(identifier);
        var all = All().ToList();

        // Try "qualifier.column[.field...]" first, then "column[.field...]", as Spark's resolver does.
        if (parts.Count >= 2)
        {
            var q = all.Where(a => a.Column.Qualifier is { } qual && qual.Equals(parts[0], StringComparison.OrdinalIgnoreCase)
                                   && a.Column.Name.Equals(parts[1], StringComparison.OrdinalIgnoreCase)).ToList();
            if (q.Count > 0)
            {
                return Pick(q, identifier, planId, parts.Skip(2).ToList());
            }
        }

        var byName = all.Where(a => a.Column.Name.Equals(parts[0], StringComparison.OrdinalIgnoreCase)).ToList();
        if (byName.Count == 0 && parts[0].Equals("_metadata", StringComparison.OrdinalIgnoreCase) && FileInput() is { } input)
        {
            // Spark's hidden file metadata column; a real column of that name wins (resolved above).
            var metadata = input.Frame.Files!.StructSql(Qualified(input.Alias, input.Frame.Files.Column));
            return Pick([(metadata, new FrameColumn("_metadata", "_metadata", null, System.Collections.Immutable.ImmutableHashSet<long>.Empty))], identifier, planId, parts.Skip(1).ToList());
        }

        if (byName.Count == 0)
        {
            throw Errors.UnresolvedColumn(identifier, all.Select(a => a.Column.Qualifier is null ? a.Column.Name : $"{a.Column.Qualifier}.{a.Column.Name}").Distinct().Take(5));
        }

        return Pick(byName, identifier, planId, parts.Skip(1).ToList());
    }

    /// <summary>The SQL of the hidden <c>_metadata</c> struct, or null when no input is read from files or one has a real <c>_metadata</c> column.</summary>
    public string? MetadataSql() =>
        FileInput() is { } input && !All().Any(a => a.Column.Name.Equals("_metadata", StringComparison.OrdinalIgnoreCase))
            ? input.Frame.Files!.StructSql(Qualified(input.Alias, input.Frame.Files.Column))
            : null;

    /// <summary>The SQL of <c>input_file_name()</c>: the row's file URI, or '' when no input is read from files (as Spark).</summary>
    public string InputFileName() =>
        FileInput() is { } input ? input.Frame.Files!.InputFileNameSql(Qualified(input.Alias, input.Frame.Files.Column)) : "''";

    private (string Alias, Frame Frame)? FileInput()
    {
        var withFiles = Inputs.Where(i => i.Frame.Files is not null).ToList();
        return withFiles.Count == 1 ? withFiles[0] : null;
    }

    /// <summary>Splits <c>a.`b.c`.d</c> into its parts.</summary>
    public static List<string> SplitIdentifier(string identifier)
    {
        var parts = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < identifier.Length; i++)
        {
            var ch = identifier[i];
            if (ch == '`')
            {
                if (quoted && i + 1 < identifier.Length && identifier[i + 1] == '`')
                {
                    current.Append('`');
                    i++;
                    continue;
                }

                quoted = !quoted;
            }
            else if (ch == '.' && !quoted)
            {
                parts.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(ch);
            }
        }

        parts.Add(current.ToString());
        return parts;
    }

    private static (string Sql, FrameColumn Column, string Name) Pick(List<(string Sql, FrameColumn Column)> candidates, string identifier, long? planId, List<string> fields)
    {
        if (candidates.Count > 1 && planId is { } p)
        {
            var byPlan = candidates.Where(c => c.Column.PlanIds.Contains(p)).ToList();
            if (byPlan.Count > 0)
            {
                candidates = byPlan;
            }
        }

        if (candidates.Count > 1)
        {
            throw Errors.AmbiguousColumn(identifier, candidates.Select(c => c.Column.Qualifier is null ? c.Column.Name : $"{c.Column.Qualifier}.{c.Column.Name}"));
        }

        var (sql, col) = candidates[0];
        var name = col.Name;
        foreach (var f in fields)
        {
            sql = $"struct_extract({sql}, {SqlText.Str(f)})";
            name = f;
        }

        return (sql, col, name);
    }

    private static string Qualified(string alias, FrameColumn c) => Qualified(alias, c.Physical);

    private static string Qualified(string alias, string physical) => SqlText.Ident(alias) + "." + SqlText.Ident(physical);
}
