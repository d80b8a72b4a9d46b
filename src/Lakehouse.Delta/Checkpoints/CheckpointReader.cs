using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Storage;
using Parquet;

namespace Lakehouse.Delta.Checkpoints;

/// <summary>Reads the actions of a checkpoint: classic, multi-part, or V2 (JSON or Parquet, with sidecars).</summary>
internal static class CheckpointReader
{
    /// <summary>The directory, relative to <c>_delta_log</c>, that holds V2 checkpoint sidecars.</summary>
    public const string SidecarDirectory = "_sidecars";

    // Some writers store strings as BYTE_ARRAY without the UTF8 annotation; the schema says they are strings.
    private static readonly ParquetOptions ReaderOptions = new() { TreatByteArrayAsString = true };

    /// <summary>All actions of the checkpoint made of <paramref name="parts"/>, sidecar file actions included.</summary>
    /// <exception cref="DeltaException"><see cref="DeltaErrorKind.CorruptLog"/> when a part or sidecar is missing, truncated or not a checkpoint.</exception>
    public static IEnumerable<DeltaAction> ReadActions(ILogStore store, IReadOnlyList<LogFileName> parts)
    {
        var actions = new List<DeltaAction>();
        foreach (var part in parts)
        {
            if (part.Name.EndsWith(".json", StringComparison.Ordinal))
            {
                actions.AddRange(ParseJson(store, part.Name));
            }
            else
            {
                ReadParquet(store, part.Name, fileActionsOnly: false, actions);
            }
        }

        // PROTOCOL.md, V2 Spec: any checkpoint (even one with a classic name) may list sidecars holding its add/remove actions.
        var sidecars = actions.Where(a => a.Sidecar is not null).Select(a => a.Sidecar!).ToList();
        foreach (var sidecar in sidecars)
        {
            ReadParquet(store, SidecarName(sidecar.Path), fileActionsOnly: true, actions);
        }

        return actions;
    }

    /// <summary>The log-relative name of a sidecar: the protocol stores it URI-encoded and relative to <c>_delta_log/_sidecars</c>.</summary>
    internal static string SidecarName(string path)
    {
        var decoded = Uri.UnescapeDataString(path);
        var slash = decoded.LastIndexOf('/');
        // An absolute sidecar URI still points into this table's _sidecars directory; only its file name matters here.
        return SidecarDirectory + "/" + (slash >= 0 ? decoded[(slash + 1)..] : decoded);
    }

    private static List<DeltaAction> ParseJson(ILogStore store, string name)
    {
        try
        {
            return ActionJson.ParseCommit(store.Read(name), name);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Corrupt(store, name, e is FileNotFoundException ? "is missing" : $"cannot be read ({e.Message})", e);
        }
        catch (DeltaException e) when (e.Kind == DeltaErrorKind.CorruptLog)
        {
            // The commit parser's remedy is about commits; a checkpoint has its own.
            throw Corrupt(store, name, $"is not a valid V2 JSON checkpoint ({e.InnerException?.Message ?? e.Message})", e);
        }
    }

    private static void ReadParquet(ILogStore store, string name, bool fileActionsOnly, List<DeltaAction> into)
    {
        try
        {
            using var stream = store.OpenRead(name);
            var reader = ParquetReader.CreateAsync(stream, ReaderOptions).GetAwaiter().GetResult();
            try
            {
                for (var g = 0; g < reader.RowGroupCount; g++)
                {
                    var columns = new ParquetRowGroupColumns(reader.OpenRowGroupReader(g), reader.Schema);
                    CheckpointRowDecoder.Decode(columns, fileActionsOnly, into);
                }
            }
            finally
            {
                reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
        catch (Exception e) when (e is not DeltaException and not OutOfMemoryException)
        {
            throw Corrupt(store, name, e is FileNotFoundException ? "is missing" : $"is not a readable Parquet checkpoint ({e.Message})", e);
        }
    }

    private static DeltaException Corrupt(ILogStore store, string name, string problem, Exception inner) => new(
        DeltaErrorKind.CorruptLog,
        $"Checkpoint file _delta_log/{name} of {store.TablePath} {problem}. Delete the damaged checkpoint (all its parts and sidecars) "
        + "and _delta_log/_last_checkpoint so readers replay the JSON commits instead; this works only while the commits before the checkpoint still exist, "
        + "otherwise restore the file from a backup.",
        store.TablePath,
        inner);
}
