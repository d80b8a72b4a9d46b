using Lakehouse.Delta.Snapshots;

namespace Lakehouse.Embedded.Delta;

/// <summary>Loads the latest snapshot of a DML target, with Delta's error when there is no table.</summary>
internal static class DmlTable
{
    public static Snapshot Load(string path)
    {
        if (!Lakehouse.Delta.DeltaTable.ForPath(path).Exists)
        {
            throw new EmbeddedException("DELTA_MISSING_DELTA_TABLE", "42P01",
                $"{path} is not a Delta table. Write the table first (DataFrame.Write.Format(\"delta\")), or check the path.",
                new Dictionary<string, string> { ["tableName"] = path });
        }

        return DeltaErrors.Map(() => Lakehouse.Delta.DeltaTable.ForPath(path).Snapshot());
    }
}
