// A separate process for the Delta tests that need one.
//   <table> <writer> <count>  appends `count` one-file commits with ids writer*1_000_000 + i, then exits 0.
//   <table> crash             writes the data files of a 3-row append, prints "files written", and waits to be
//                             killed before it commits (the crash-safety test kills it there).
using System.Globalization;
using Apache.Arrow;
using Lakehouse.Delta;

var table = DeltaTable.ForPath(args[0]);
if (args[1] == "crash")
{
    var ids = new Int64Array.Builder().AppendRange([100, 101, 102]).Build();
    var parts = new StringArray.Builder().AppendRange(["crash", "crash", "crash"]).Build();
    await table.WriteFilesAsync(table.Snapshot(), [new RecordBatch.Builder().Append("id", false, ids).Append("part", true, parts).Build()]);
    Console.WriteLine("files written");
    await Task.Delay(Timeout.Infinite);
}

var writer = long.Parse(args[1], CultureInfo.InvariantCulture);
var count = int.Parse(args[2], CultureInfo.InvariantCulture);
for (var i = 0; i < count; i++)
{
    var ids = new Int64Array.Builder().Append(writer * 1_000_000 + i).Build();
    var parts = new StringArray.Builder().Append("w" + writer.ToString(CultureInfo.InvariantCulture)).Build();
    var batch = new RecordBatch.Builder().Append("id", false, ids).Append("part", true, parts).Build();
    await table.AppendAsync([batch]);
}
