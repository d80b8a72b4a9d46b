using Lakehouse.Spark.Delta.Sql;

namespace Lakehouse.Spark.Delta;

/// <summary>How a Delta table is addressed: by path or by catalog name (exactly one is set).</summary>
internal sealed record DeltaTableRef(string? Path, string? Name)
{
    internal static DeltaTableRef ForPath(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new(path, null);
    }

    internal static DeltaTableRef ForName(string name)
    {
        // Parse now so a malformed name fails where it is given, not at the first action.
        SqlIdentifiers.Parse(name);
        return new(null, name);
    }

    /// <summary>The Delta Connect <c>DeltaTable</c> message (base.proto: path = 1 or table_or_view_name = 2).</summary>
    internal Protos.Delta.DeltaTable ToProto() => Path is not null
        ? new Protos.Delta.DeltaTable { Path = new Protos.Delta.DeltaTable.Types.Path { Path_ = Path } }
        : new Protos.Delta.DeltaTable { TableOrViewName = Name };

    /// <summary>The SQL table identifier: <c>delta.`/p`</c> for a path, the quoted multi-part name otherwise.</summary>
    internal string SqlIdentifier => Path is not null ? SqlIdentifiers.DeltaPath(Path) : SqlIdentifiers.QuoteMultipart(Name!);

    /// <inheritdoc />
    public override string ToString() => Path is not null ? $"delta.`{Path}`" : Name!;
}
