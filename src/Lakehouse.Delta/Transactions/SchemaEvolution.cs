using Apache.Arrow;
using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Data.Writing;
using Lakehouse.Delta.Schema;
using Lakehouse.Delta.Snapshots;

namespace Lakehouse.Delta.Transactions;

/// <summary>Checks incoming data against the table schema and, with mergeSchema, adds its new columns.</summary>
internal static class SchemaEvolution
{
    /// <summary>
    /// The metadata to write under: the snapshot's when the data fits, a new one with the data's extra columns appended
    /// (nullable) when <paramref name="mergeSchema"/> is set.
    /// </summary>
    /// <exception cref="DeltaException">Extra columns without mergeSchema, or a column whose type differs from the table's.</exception>
    public static Metadata Resolve(Snapshot snapshot, IReadOnlyList<RecordBatch> batches, bool mergeSchema)
    {
        var table = snapshot.Schema;
        var extra = new List<StructField>();
        foreach (var schema in batches.Select(b => b.Schema).DistinctBy(s => string.Join(',', s.FieldsList.Select(f => f.Name + ":" + f.DataType.Name))))
        {
            var incoming = ArrowSchemaMapper.ToDelta(schema);
            foreach (var field in incoming.Fields)
            {
                var existing = table.Find(field.Name);
                if (existing is null)
                {
                    if (!extra.Any(e => string.Equals(e.Name, field.Name, StringComparison.OrdinalIgnoreCase)))
                    {
                        extra.Add(field with { Nullable = true });
                    }
                }
                else if (!SameType(existing.Type, field.Type))
                {
                    throw new DeltaException(DeltaErrorKind.InvalidRequest,
                        $"Column '{existing.Name}' is {existing.Type} in the table at {snapshot.TablePath} but {field.Type} in the data. Cast the column to {existing.Type}.",
                        snapshot.TablePath);
                }
            }
        }

        if (extra.Count == 0)
        {
            return snapshot.Metadata;
        }

        if (!mergeSchema)
        {
            throw new DeltaException(DeltaErrorKind.InvalidRequest,
                $"The data has columns the table at {snapshot.TablePath} does not have: {string.Join(", ", extra.Select(f => $"{f.Name} ({f.Type})"))}. "
                + "Write with mergeSchema to add them to the schema, or drop them from the data.", snapshot.TablePath);
        }

        var newSchema = new StructType(table.Fields.Concat(extra));
        var configuration = new Dictionary<string, string>(snapshot.Metadata.Configuration, StringComparer.Ordinal);
        if (snapshot.ColumnMapping != ColumnMappingMode.None)
        {
            var maxId = long.TryParse(configuration.GetValueOrDefault("delta.columnMapping.maxColumnId"), out var m) ? m : 0;
            newSchema = TableCreation.AssignColumnMapping(newSchema, ref maxId);
            configuration["delta.columnMapping.maxColumnId"] = maxId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return snapshot.Metadata with { SchemaString = SchemaJson.ToJson(newSchema), Configuration = configuration };
    }

    // Field metadata (comments, column-mapping ids) and nullability do not make a type different.
    private static bool SameType(DeltaType table, DeltaType data) => (table, data) switch
    {
        (StructType t, StructType d) => t.Fields.Count == d.Fields.Count
            && t.Fields.Zip(d.Fields).All(p => string.Equals(p.First.Name, p.Second.Name, StringComparison.OrdinalIgnoreCase) && SameType(p.First.Type, p.Second.Type)),
        (ArrayType t, ArrayType d) => SameType(t.ElementType, d.ElementType),
        (MapType t, MapType d) => SameType(t.KeyType, d.KeyType) && SameType(t.ValueType, d.ValueType),
        _ => table.Equals(data),
    };
}
