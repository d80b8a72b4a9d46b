using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using DuckDB.NET.Data;
using Lakehouse.Embedded.Sql;
using Lakehouse.Spark.Protos;

namespace Lakehouse.Embedded.Execution;

/// <summary>
/// Loads a <see cref="LocalRelation"/> (Arrow IPC stream bytes from <c>createDataFrame</c>) into a temporary DuckDB
/// table through the appender. When the relation also carries a schema, columns are renamed and cast to it by position.
/// <para>
/// The table holds the raw columns (struct fields flattened, zoned timestamps as UTC wall clock); the SELECT over it
/// rebuilds the values. It is not copied into a second table: for the one-row frames of the ops logs that copy and
/// its DROP cost more than the rest of the load, and a local relation is read once per use anyway.
/// </para>
/// </summary>
internal static class LocalRelationLoader
{
    /// <summary>Creates the temporary table <paramref name="table"/> with the relation's rows.</summary>
    /// <returns>The SELECT of the relation's rows from that table, with the column names when they are distinct (DuckDB
    /// names are case-insensitive and it renames a colliding column, so then only a DESCRIBE tells its name).</returns>
    public static SourceSql Load(DuckDBConnection connection, string table, LocalRelation local)
    {
        var schema = local.HasSchema && !string.IsNullOrWhiteSpace(local.Schema) ? SparkDdl.ParseSchema(local.Schema) : null;
        if (!local.HasData || local.Data.Length == 0)
        {
            if (schema is null)
            {
                throw Errors.InvalidArgument("LocalRelation", "neither data nor a schema was given");
            }

            Execute(connection, $"CREATE TEMP TABLE {SqlText.Ident(table)} ({string.Join(", ", schema.Fields.Select(f => SqlText.Ident(f.Name) + " " + Types.ToDuckDb(f.Type)))})");
            return new SourceSql($"SELECT * FROM {SqlText.Ident(table)}", Distinct(schema.Fields.Select(f => f.Name).ToList()));
        }

        using var stream = new MemoryStream(local.Data.ToByteArray());
        using var reader = new ArrowStreamReader(stream);
        var arrowSchema = reader.Schema;
        var rawColumns = new List<RawColumn>();
        var expressions = arrowSchema.FieldsList.Select((f, i) => Flatten(f, [i], rawColumns)).ToList();
        Execute(connection, $"CREATE TEMP TABLE {SqlText.Ident(table)} ({string.Join(", ", rawColumns.Select(c => $"{SqlText.Ident(c.Name)} {c.Type}"))})");
        using (var appender = connection.CreateAppender("temp", "main", table))
        {
            while (reader.ReadNextRecordBatch() is { } batch)
            {
                using (batch)
                {
                    for (var row = 0; row < batch.Length; row++)
                    {
                        var r = appender.CreateRow();
                        foreach (var column in rawColumns)
                        {
                            var array = column.Resolve(batch);
                            if (column.IsNullFlag)
                            {
                                r.AppendValue(array.IsNull(row));
                            }
                            else
                            {
                                Append(r, array, row);
                            }
                        }

                        r.EndRow();
                    }
                }
            }
        }

        var select = arrowSchema.FieldsList.Select((f, i) =>
        {
            var source = expressions[i];
            if (schema is not null && i < schema.Fields.Count)
            {
                return $"CAST({source} AS {Types.ToDuckDb(schema.Fields[i].Type)}) AS {SqlText.Ident(schema.Fields[i].Name)}";
            }

            return $"{source} AS {SqlText.Ident(f.Name)}";
        });
        return new SourceSql(
            $"SELECT {string.Join(", ", select)} FROM {SqlText.Ident(table)}",
            Distinct(arrowSchema.FieldsList.Select((f, i) => schema is not null && i < schema.Fields.Count ? schema.Fields[i].Name : f.Name).ToList()));
    }

    private static List<string>? Distinct(List<string> names) =>
        names.Distinct(StringComparer.OrdinalIgnoreCase).Count() == names.Count ? names : null;

    /// <summary>
    /// Adds the raw columns a field needs (one per leaf, and a null flag per struct, whose children are appended as
    /// columns of their own) and returns the SQL that rebuilds the field's value from them.
    /// </summary>
    private static string Flatten(Field field, int[] path, List<RawColumn> raw)
    {
        var name = "c" + string.Join("_", path);
        if (field.DataType is StructType st)
        {
            raw.Add(new RawColumn(name + "_null", "BOOLEAN", path, IsNullFlag: true));
            var children = st.Fields.Select((f, j) => $"{SqlText.Ident(f.Name)} := {Flatten(f, [.. path, j], raw)}");
            return $"(CASE WHEN {SqlText.Ident(name + "_null")} THEN NULL ELSE struct_pack({string.Join(", ", children)}) END)";
        }

        raw.Add(new RawColumn(name, RawType(field.DataType), path, IsNullFlag: false));
        // Arrow timestamps with a zone are UTC instants; the raw column holds their UTC wall clock.
        return field.DataType is TimestampType { Timezone: not null and not "" } ? $"timezone('UTC', {SqlText.Ident(name)})" : SqlText.Ident(name);
    }

    /// <summary>A column of the raw table: the Arrow array at <paramref name="Path"/> (top-level index, then struct child indexes).</summary>
    private sealed record RawColumn(string Name, string Type, int[] Path, bool IsNullFlag)
    {
        public IArrowArray Resolve(RecordBatch batch)
        {
            var array = batch.Column(Path[0]);
            foreach (var child in Path.Skip(1))
            {
                array = ((StructArray)array).Fields[child];
            }

            return array;
        }
    }

    private static string RawType(IArrowType type) => type switch
    {
        Int8Type => "TINYINT",
        Int16Type => "SMALLINT",
        Int32Type => "INTEGER",
        Int64Type => "BIGINT",
        FloatType => "FLOAT",
        DoubleType => "DOUBLE",
        BooleanType => "BOOLEAN",
        StringType or LargeStringType or StringViewType => "VARCHAR",
        BinaryType or LargeBinaryType => "BLOB",
        Date32Type or Date64Type => "DATE",
        TimestampType => "TIMESTAMP",
        Decimal128Type d => $"DECIMAL({d.Precision},{d.Scale})",
        NullType => "INTEGER",
        _ => throw Errors.Unsupported("local relation type", $"createDataFrame with a column of Arrow type {type.Name}"),
    };

    private static void Append(IDuckDBAppenderRow row, IArrowArray array, int i)
    {
        if (array.IsNull(i))
        {
            row.AppendNullValue();
            return;
        }

        switch (array)
        {
            case Int8Array a: row.AppendValue(a.GetValue(i)); break;
            case Int16Array a: row.AppendValue(a.GetValue(i)); break;
            case Int32Array a: row.AppendValue(a.GetValue(i)); break;
            case Int64Array a: row.AppendValue(a.GetValue(i)); break;
            case FloatArray a: row.AppendValue(a.GetValue(i)); break;
            case DoubleArray a: row.AppendValue(a.GetValue(i)); break;
            case BooleanArray a: row.AppendValue(a.GetValue(i)); break;
            case StringArray a: row.AppendValue(a.GetString(i)); break;
            case LargeStringArray a: row.AppendValue(a.GetString(i)); break;
            case StringViewArray a: row.AppendValue(a.GetString(i)); break;
            case BinaryArray a: row.AppendValue(a.GetBytes(i).ToArray()); break;
            case Date32Array a: row.AppendValue(a.GetDateOnly(i)); break;
            case Date64Array a: row.AppendValue(a.GetDateOnly(i)); break;
            case TimestampArray a: row.AppendValue(a.GetTimestamp(i)!.Value.UtcDateTime); break;
            case Decimal128Array a: row.AppendValue(a.GetValue(i)); break;
            case NullArray: row.AppendNullValue(); break;
            default: throw Errors.Unsupported("local relation type", $"createDataFrame with a column of Arrow type {array.Data.DataType.Name}");
        }
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
