using System.Runtime.CompilerServices;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Lakehouse.Spark.Arrow;
using Lakehouse.Spark.Protos;

namespace Lakehouse.Spark;

public sealed partial class DataFrame
{
    /// <summary>Runs the plan and returns every row in memory.</summary>
    /// <param name="cancellationToken">Cancels the call and interrupts the operation.</param>
    /// <exception cref="SparkConnectException">The server failed the plan.</exception>
    public async Task<IReadOnlyList<Row>> CollectAsync(CancellationToken cancellationToken = default)
    {
        var rows = new List<Row>();
        await foreach (var batch in ToArrowAsync(cancellationToken).ConfigureAwait(false))
        {
            using (batch)
            {
                rows.AddRange(ArrowRows.Read(batch));
            }
        }

        return rows;
    }

    /// <summary>
    /// Runs the plan and maps every row to <typeparamref name="T"/>: a constructor whose parameter names match
    /// columns (positional records), else settable properties; names match case-insensitively.
    /// </summary>
    /// <typeparam name="T">The row type.</typeparam>
    /// <param name="cancellationToken">Cancels the call and interrupts the operation.</param>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> cannot be built from the result's columns.</exception>
    /// <exception cref="InvalidCastException">A value does not fit its member (e.g. null into a non-nullable int).</exception>
    public async Task<IReadOnlyList<T>> CollectAsync<T>(CancellationToken cancellationToken = default)
    {
        var rows = await CollectAsync(cancellationToken).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            return [];
        }

        var mapper = new RowMapper<T>(rows[0].Columns);
        return [.. rows.Select(mapper.Map)];
    }

    /// <summary>Runs the plan and streams the result as Arrow record batches (the caller disposes them).</summary>
    /// <param name="cancellationToken">Cancels the stream and interrupts the operation.</param>
    /// <exception cref="SparkConnectException">The server failed the plan.</exception>
    public async IAsyncEnumerable<RecordBatch> ToArrowAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var response in Session.Client.ExecuteAsync(new Plan { Root = Relation }, cancellationToken).ConfigureAwait(false))
        {
            if (response.ResponseTypeCase != ExecutePlanResponse.ResponseTypeOneofCase.ArrowBatch)
            {
                // Schema, metrics, progress (4.0) and future response kinds carry no rows (brief §9.4).
                continue;
            }

            // brief §4: each ArrowBatch.data is a complete IPC stream; open one reader per message.
            using var reader = new ArrowStreamReader(new MemoryStream(response.ArrowBatch.Data.ToByteArray()));
            while (await reader.ReadNextRecordBatchAsync(cancellationToken).ConfigureAwait(false) is { } batch)
            {
                yield return batch;
            }
        }
    }

    /// <summary>The first <paramref name="count"/> rows.</summary>
    /// <param name="count">Row count (≥ 0).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<IReadOnlyList<Row>> TakeAsync(int count, CancellationToken cancellationToken = default) =>
        Limit(count).CollectAsync(cancellationToken);

    /// <summary>The result's column names, from the server-computed schema (the plan is not run).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyList<string>> ColumnsAsync(CancellationToken cancellationToken = default)
    {
        var schema = await SchemaAsync(cancellationToken).ConfigureAwait(false);
        return [.. schema.Struct.Fields.Select(f => f.Name)];
    }

    /// <summary>Number of rows.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<long> CountAsync(CancellationToken cancellationToken = default)
    {
        // PySpark's DataFrame.count: groupBy().agg(count(lit(1))) and read the single value.
        var rows = await Agg(Functions.Call("count", Functions.Lit(1))).CollectAsync(cancellationToken).ConfigureAwait(false);
        return Convert.ToInt64(rows[0][0], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The table Spark's <c>show()</c> prints, as a string.</summary>
    /// <param name="rows">Rows to show.</param>
    /// <param name="truncate">Cut cells longer than this many characters; 0 for no truncation.</param>
    /// <param name="vertical">One line per column instead of a table.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<string> ShowStringAsync(int rows = 20, int truncate = 20, bool vertical = false, CancellationToken cancellationToken = default)
    {
        var show = new Relation { ShowString = new ShowString { Input = Relation, NumRows = rows, Truncate = truncate, Vertical = vertical } };
        var result = await Next(show).CollectAsync(cancellationToken).ConfigureAwait(false);
        return result.Count == 0 ? "" : result[0].Get<string>(0) ?? "";
    }

    /// <summary>Prints <see cref="ShowStringAsync"/> to <paramref name="output"/> (the console by default).</summary>
    /// <param name="rows">Rows to show.</param>
    /// <param name="truncate">Cut cells longer than this; 0 for no truncation.</param>
    /// <param name="vertical">One line per column.</param>
    /// <param name="output">Where to print.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task ShowAsync(int rows = 20, int truncate = 20, bool vertical = false, TextWriter? output = null, CancellationToken cancellationToken = default)
    {
        var text = await ShowStringAsync(rows, truncate, vertical, cancellationToken).ConfigureAwait(false);
        await (output ?? Console.Out).WriteAsync(text).ConfigureAwait(false);
    }

    /// <summary>The result schema (a struct <see cref="DataType"/>), computed by the server without running the plan.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<DataType> SchemaAsync(CancellationToken cancellationToken = default)
    {
        var request = new AnalyzePlanRequest { Schema = new() { Plan = new Plan { Root = Relation } } };
        var response = await Session.Client.AnalyzeAsync(request, cancellationToken).ConfigureAwait(false);
        return response.Schema.Schema_;
    }

    /// <summary>The server's query plan description.</summary>
    /// <param name="extended">Include the parsed, analyzed and optimized plans, not only the physical one.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<string> ExplainAsync(bool extended = false, CancellationToken cancellationToken = default)
    {
        var mode = extended
            ? AnalyzePlanRequest.Types.Explain.Types.ExplainMode.Extended
            : AnalyzePlanRequest.Types.Explain.Types.ExplainMode.Simple;
        var request = new AnalyzePlanRequest { Explain = new() { Plan = new Plan { Root = Relation }, ExplainMode = mode } };
        var response = await Session.Client.AnalyzeAsync(request, cancellationToken).ConfigureAwait(false);
        return response.Explain.ExplainString;
    }

    /// <summary>Registers the plan as a session-scoped temporary view, replacing one of the same name.</summary>
    /// <param name="name">The view name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task CreateOrReplaceTempViewAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return ExecuteCommandAsync(Session, TempViewCommand(name), cancellationToken);
    }

    internal Command TempViewCommand(string name) => new()
    {
        CreateDataframeView = new CreateDataFrameViewCommand { Input = Relation, Name = name, IsGlobal = false, Replace = true },
    };

    internal static async Task ExecuteCommandAsync(SparkSession session, Command command, CancellationToken cancellationToken)
    {
        await foreach (var _ in session.Client.ExecuteAsync(new Plan { Command = command }, cancellationToken).ConfigureAwait(false))
        {
            // Commands answer with result_complete (and possibly metrics); success is the stream ending normally.
        }
    }
}
