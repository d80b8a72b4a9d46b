using Apache.Arrow;
using Lakehouse.Spark.Protos;

namespace Lakehouse.Embedded.Execution;

/// <summary>One piece of an operation's result, before it becomes an ExecutePlanResponse.</summary>
internal abstract record ExecutionItem
{
    /// <summary>The result schema (sent first for queries).</summary>
    public sealed record SchemaItem(DataType Schema) : ExecutionItem;

    /// <summary>A batch of result rows.</summary>
    public sealed record BatchItem(RecordBatch Batch) : ExecutionItem;

    /// <summary>No rows: an Arrow stream with only the schema is sent as the one batch.</summary>
    public sealed record EmptyItem(Apache.Arrow.Schema ArrowSchema) : ExecutionItem;

    /// <summary>The relation a <c>spark.sql</c> command stands for.</summary>
    public sealed record SqlResultItem(Relation Relation) : ExecutionItem;
}
