using Lakehouse.Delta.Expressions;
using Lakehouse.Delta.Schema;
using Parquet;
using Parquet.Schema;
using PqStructField = Parquet.Schema.StructField;
using StructType = Lakehouse.Delta.Schema.StructType;
using MapType = Lakehouse.Delta.Schema.MapType;

namespace Lakehouse.Delta.Data.Writing;

/// <summary>What a copy-on-write rewrite did to one file.</summary>
/// <param name="DeletedRows">Rows the predicate matched.</param>
/// <param name="CopiedRows">Rows kept.</param>
/// <param name="NewFile">The rewritten file; null when nothing was deleted (file untouched) or everything was.</param>
internal sealed record RewriteResult(long DeletedRows, long CopiedRows, WrittenFile? NewFile);

/// <summary>
/// Copy-on-write delete of rows from one data file: reads its columns as stored (values and Dremel levels, so nested
/// columns survive unchanged), evaluates the predicate per row, and writes the kept rows to a new file with the same
/// Parquet schema and fresh Delta statistics.
/// </summary>
internal static class FileRewriter
{
    public static async Task<RewriteResult> DeleteRowsAsync(string tablePath, string source, string target, StructType dataSchema, StructType tableSchema,
        ColumnMappingMode mode, int numIndexedCols, Predicate predicate, IReadOnlyDictionary<string, string?> partitionValues, CancellationToken cancellationToken)
    {
        await using var reader = await Reading.ScanFile.OpenParquetAsync(source, tablePath, null, cancellationToken).ConfigureAwait(false);
        var targets = StatsTargets(dataSchema, reader.Schema.Fields, mode);
        var groups = new List<(RawLeaf[] Leaves, bool[] Keep)>();
        long deleted = 0, kept = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var leaves = new List<RawLeaf>();
            foreach (var field in reader.Schema.GetDataFields())
            {
                leaves.Add(await RawLeaf.ReadAsync(group, field, cancellationToken).ConfigureAwait(false)
                    ?? throw new DeltaException(DeltaErrorKind.InvalidRequest, $"Column '{field.Path}' of {source} has a storage type the rewrite does not support; run the delete on Spark."));
            }

            var byPath = leaves.ToDictionary(l => l.Field.Path.ToString(), StringComparer.Ordinal);
            var rowCount = (int)group.RowCount;
            var resolved = new Dictionary<ColumnRef, (object?[]? Values, object? Constant, DeltaType Type)>();
            var keep = new bool[rowCount];
            for (var row = 0; row < rowCount; row++)
            {
                var current = row;
                var match = PredicateEvaluator.Evaluate(predicate, column =>
                {
                    if (!resolved.TryGetValue(column, out var r))
                    {
                        resolved[column] = r = Resolve(column, tableSchema, mode, partitionValues, reader.Schema, byPath);
                    }

                    return (r.Values is null ? r.Constant : ToDelta(r.Values[current], r.Type), r.Type);
                });
                // SQL DELETE removes the rows where the condition is true; unknown (null) keeps them.
                keep[row] = match != true;
                if (keep[row]) { kept++; } else { deleted++; }
            }

            groups.Add((leaves.ToArray(), keep));
        }

        if (deleted == 0 || kept == 0)
        {
            return new RewriteResult(deleted, kept, null);
        }

        var stats = targets.ToDictionary(t => t.StatsPath, t => new ColumnStatistics(t.NullThreshold is null && ParquetColumns.HasMinMax(t.Type)), StringComparer.Ordinal);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        await using (var stream = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            await using var writer = await ParquetWriter.CreateAsync(reader.Schema, stream, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy },
                cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var (leaves, keep) in groups.Where(g => g.Keep.Any(k => k)))
            {
                using var group = writer.CreateRowGroup();
                foreach (var leaf in leaves)
                {
                    await leaf.WriteRowsAsync(group, keep, cancellationToken).ConfigureAwait(false);
                }

                Accumulate(targets, stats, leaves, keep);
            }
        }

        await TimestampFooterRepair.RunAsync(target, cancellationToken).ConfigureAwait(false);

        var info = new FileInfo(target);
        return new RewriteResult(deleted, kept, new WrittenFile(target, info.Length, new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeMilliseconds(), kept,
            StatsJson.Build(dataSchema, mode, kept, stats, numIndexedCols)));
    }

    /// <summary>A statistics column: a primitive leaf outside repetition, or an array/map whose row-level nulls are counted.</summary>
    private sealed record StatsTarget(string StatsPath, string LeafPath, DeltaType Type, int? NullThreshold);

    private static List<StatsTarget> StatsTargets(StructType schema, IReadOnlyList<Field> fields, ColumnMappingMode mode)
    {
        var targets = new List<StatsTarget>();
        void Walk(StructType type, IReadOnlyList<Field> parquet, string prefix, int definition)
        {
            foreach (var f in type.Fields)
            {
                var name = f.PhysicalName(mode);
                var pq = parquet.FirstOrDefault(p => p.Name == name);
                if (pq is null)
                {
                    continue;
                }

                var def = definition + (pq.IsNullable ? 1 : 0);
                switch (f.Type, pq)
                {
                    case (StructType s, PqStructField ps):
                        Walk(s, ps.Fields, prefix + name + ".", def);
                        break;
                    case (ArrayType or MapType, _):
                        targets.Add(new StatsTarget(prefix + name, FirstLeaf(pq).Path.ToString(), f.Type, def));
                        break;
                    case (_, DataField d):
                        targets.Add(new StatsTarget(prefix + name, d.Path.ToString(), f.Type, null));
                        break;
                }
            }
        }

        Walk(schema, fields, "", 0);
        return targets;
    }

    private static DataField FirstLeaf(Field field) => field switch
    {
        DataField d => d,
        ListField l => FirstLeaf(l.Item),
        Parquet.Schema.MapField m => FirstLeaf(m.Key),
        PqStructField s => FirstLeaf(s.Fields[0]),
        _ => throw new InvalidOperationException($"No leaf under {field.Path}."),
    };

    private static void Accumulate(List<StatsTarget> targets, Dictionary<string, ColumnStatistics> stats, RawLeaf[] leaves, bool[] keep)
    {
        var byPath = leaves.ToDictionary(l => l.Field.Path.ToString(), StringComparer.Ordinal);
        foreach (var t in targets)
        {
            var leaf = byPath[t.LeafPath];
            var s = stats[t.StatsPath];
            if (t.NullThreshold is { } threshold)
            {
                for (var row = 0; row < leaf.RowStarts.Length; row++)
                {
                    if (keep[row] && leaf.Field.MaxDefinitionLevel > 0 && leaf.Definitions[leaf.RowStarts[row]] < threshold)
                    {
                        s.AddNull();
                    }
                }

                continue;
            }

            var values = leaf.RowValues();
            for (var row = 0; row < values.Length; row++)
            {
                if (!keep[row])
                {
                    continue;
                }

                if (values[row] is null)
                {
                    s.AddNull();
                }
                else if (ToDelta(values[row], t.Type) is { } v)
                {
                    s.AddValue(v);
                }
                else
                {
                    s.DropMinMax();
                }
            }
        }
    }

    private static (object?[]? Values, object? Constant, DeltaType Type) Resolve(ColumnRef column, StructType tableSchema, ColumnMappingMode mode,
        IReadOnlyDictionary<string, string?> partitionValues, ParquetSchema parquet, Dictionary<string, RawLeaf> leaves)
    {
        var top = tableSchema[column.Name];
        var partition = partitionValues.Keys.FirstOrDefault(k => string.Equals(k, top.PhysicalName(mode), StringComparison.OrdinalIgnoreCase));
        if (partition is not null)
        {
            return (null, PartitionValues.Parse(partitionValues[partition], top.Type), top.Type);
        }

        var field = top;
        var path = new List<string> { top.PhysicalName(mode) };
        foreach (var part in column.Path.Skip(1))
        {
            field = (field.Type as StructType)?[part]
                ?? throw new DeltaException(DeltaErrorKind.InvalidRequest, $"'{column}' is not a field of a struct column.");
            path.Add(field.PhysicalName(mode));
        }

        if (field.Type is StructType or ArrayType or MapType)
        {
            throw new DeltaException(DeltaErrorKind.InvalidRequest, $"Column '{column}' has type {field.Type}; delete predicates compare primitive columns.");
        }

        var key = string.Join(ParquetSchema.PathSeparator, path);
        return leaves.TryGetValue(key, out var leaf)
            ? (leaf.RowValues(), null, field.Type)
            : (new object?[leaves.Values.First().RowStarts.Length], null, field.Type); // A column added later is null in older files.
    }

    /// <summary>A stored value in the CLR form of <see cref="PartitionValues.Parse"/> for the Delta type; null when null or not comparable.</summary>
    private static object? ToDelta(object? raw, DeltaType type) => (raw, type) switch
    {
        (null, _) => null,
        (ReadOnlyMemory<char> m, _) => m.ToString(),
        (ReadOnlyMemory<byte> b, _) => b.ToArray(),
        (DateTime d, PrimitiveType { Name: "date" }) => DateOnly.FromDateTime(d),
        (DateTime d, PrimitiveType { Name: "timestamp" }) => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
        (DateTime d, PrimitiveType { Name: "timestamp_ntz" }) => DateTime.SpecifyKind(d, DateTimeKind.Unspecified),
        (DateTimeOffset d, PrimitiveType { Name: "timestamp_ntz" }) => d.DateTime,
        (Parquet.Data.BigDecimal, _) => null,
        (byte b, PrimitiveType { Name: "byte" }) => (sbyte)b,
        _ => raw,
    };
}
