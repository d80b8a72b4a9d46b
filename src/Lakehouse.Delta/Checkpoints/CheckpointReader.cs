using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Storage;

namespace Lakehouse.Delta.Checkpoints;

/// <summary>Reads the actions of a checkpoint: classic, multi-part, or V2 (JSON or Parquet, with sidecars).</summary>
internal static class CheckpointReader
{
    /// <summary>All actions of the checkpoint made of <paramref name="parts"/>, sidecar file actions included.</summary>
    public static IEnumerable<DeltaAction> ReadActions(ILogStore store, IReadOnlyList<LogFileName> parts)
    {
        throw new NotImplementedException("in progress: Parquet checkpoint reading");
    }
}
