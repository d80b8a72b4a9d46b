using Apache.Arrow;
using Apache.Arrow.Types;

namespace Lakehouse.Spark.Tests;

internal static class CannedData
{
    /// <summary><paramref name="count"/> batches of two rows: id = 0,1,2,… and name = "n{id}", null for every third id.</summary>
    internal static List<RecordBatch> IdBatches(int count)
    {
        var schema = new Schema([new Field("id", Int64Type.Default, false), new Field("name", StringType.Default, true)], null);
        var batches = new List<RecordBatch>();
        for (var b = 0; b < count; b++)
        {
            var ids = new Int64Array.Builder();
            var names = new StringArray.Builder();
            for (long id = b * 2; id < (b * 2) + 2; id++)
            {
                ids.Append(id);
                if (id % 3 == 0)
                {
                    names.AppendNull();
                }
                else
                {
                    names.Append($"n{id}");
                }
            }

            batches.Add(new RecordBatch(schema, [ids.Build(), names.Build()], 2));
        }

        return batches;
    }
}
