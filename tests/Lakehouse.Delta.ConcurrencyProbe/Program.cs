// Appends `count` one-file commits with ids writer*1_000_000 + i to the table, then exits 0.
// Usage: Lakehouse.Delta.ConcurrencyProbe <table> <writer> <count>
using System.Globalization;
using Apache.Arrow;
using Lakehouse.Delta;

var table = DeltaTable.ForPath(args[0]);
var writer = long.Parse(args[1], CultureInfo.InvariantCulture);
var count = int.Parse(args[2], CultureInfo.InvariantCulture);
for (var i = 0; i < count; i++)
{
    var ids = new Int64Array.Builder().Append(writer * 1_000_000 + i).Build();
    var parts = new StringArray.Builder().Append("w" + writer.ToString(CultureInfo.InvariantCulture)).Build();
    var batch = new RecordBatch.Builder().Append("id", false, ids).Append("part", true, parts).Build();
    await table.AppendAsync([batch]);
}
