namespace Lakehouse.Delta.Storage;

/// <summary>
/// Access to one table's <c>_delta_log</c> directory. All names are relative to <c>_delta_log</c>
/// (e.g. <c>00000000000000000003.json</c>, <c>_sidecars/x.parquet</c>).
/// </summary>
/// <remarks>
/// The contract every implementation must keep, because Delta's correctness rests on it
/// (PROTOCOL.md, "Requirements for Writers" and the storage requirements of the Delta paper):
/// <list type="bullet">
/// <item><b>Atomic visibility</b>: a file written by <see cref="TryCreate"/> is seen whole or not at all,
/// never partially written.</item>
/// <item><b>Mutual exclusion</b>: when several writers call <see cref="TryCreate"/> for the same name,
/// exactly one succeeds; the others get <c>false</c>. This is what makes commit N unique.</item>
/// <item><b>Consistent listing</b>: once <see cref="TryCreate"/> returned, <see cref="List"/> shows the file.</item>
/// </list>
/// </remarks>
public interface ILogStore
{
    /// <summary>The table root (the directory that contains <c>_delta_log</c>), as an absolute local path.</summary>
    string TablePath { get; }

    /// <summary>
    /// Lists the files directly in <c>_delta_log</c> whose names sort at or after <paramref name="fromName"/>,
    /// in name order. Returns an empty list when the directory does not exist.
    /// </summary>
    IReadOnlyList<LogFileInfo> List(string fromName = "");

    /// <summary>
    /// The name, size and modification time of one file in <c>_delta_log</c>, or null when it does not exist. Lets a
    /// reader probe for the commits after a checkpoint without listing the whole log; the default lists from the name.
    /// </summary>
    LogFileInfo? TryGetInfo(string name) => List(name) is [var first, ..] && first.Name == name ? first : null;

    /// <summary>Reads a whole file; raises <see cref="FileNotFoundException"/> when it does not exist.</summary>
    byte[] Read(string name);

    /// <summary>Opens a file for reading (seekable), for Parquet checkpoints and sidecars.</summary>
    Stream OpenRead(string name);

    /// <summary>Atomically creates <paramref name="name"/> with <paramref name="content"/> if it does not exist (put-if-absent).</summary>
    /// <returns><c>true</c> when this call created the file; <c>false</c> when it already existed (another writer won).</returns>
    bool TryCreate(string name, ReadOnlySpan<byte> content);

    /// <summary>Atomically replaces (or creates) a file whose content may be rewritten, such as <c>_last_checkpoint</c> or a checkpoint.</summary>
    void Replace(string name, ReadOnlySpan<byte> content);

    /// <summary>Deletes a file; no error when it is already gone.</summary>
    void Delete(string name);
}

/// <summary>A file in <c>_delta_log</c>: its name, size and modification time (milliseconds since the epoch).</summary>
public sealed record LogFileInfo(string Name, long Size, long ModificationTime);
