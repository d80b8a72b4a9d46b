using Lakehouse.Delta;

namespace Lakehouse.Embedded.Delta;

/// <summary>Lakehouse.Delta's errors as the error classes Delta on Spark reports.</summary>
internal static class DeltaErrors
{
    /// <summary>Runs <paramref name="action"/>, turning a <see cref="DeltaException"/> into an <see cref="EmbeddedException"/>.</summary>
    public static T Map<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (DeltaException e)
        {
            throw From(e);
        }
    }

    /// <summary>The Spark-side error for a Lakehouse.Delta error.</summary>
    public static EmbeddedException From(DeltaException e) => e switch
    {
        // Delta's concurrency exceptions all have SQLSTATE 2D521 and one error class per conflict kind.
        ConcurrentModificationException c => new EmbeddedException(ConflictClass(c.Conflict), "2D521", c.Message, null, c),
        _ => e.Kind switch
        {
            DeltaErrorKind.NotADeltaTable => new EmbeddedException("DELTA_MISSING_DELTA_TABLE", "42P01", e.Message, null, e),
            DeltaErrorKind.VersionNotFound => new EmbeddedException("DELTA_VERSION_NOT_FOUND", "22003", e.Message, null, e),
            DeltaErrorKind.ChangeDataNotRecorded => new EmbeddedException("DELTA_MISSING_CHANGE_DATA", "KD002", e.Message, null, e),
            _ => new EmbeddedException("LAKEHOUSE_DELTA_" + e.Kind.ToString().ToUpperInvariant(), "42000", e.Message, null, e),
        },
    };

    private static string ConflictClass(string conflict) =>
        conflict.Contains("(ConcurrentAppend)", StringComparison.Ordinal) ? "DELTA_CONCURRENT_APPEND"
        : conflict.Contains("(ConcurrentDeleteRead)", StringComparison.Ordinal) ? "DELTA_CONCURRENT_DELETE_READ"
        : conflict.Contains("(ConcurrentDeleteDelete)", StringComparison.Ordinal) ? "DELTA_CONCURRENT_DELETE_DELETE"
        : conflict.Contains("(MetadataChanged)", StringComparison.Ordinal) ? "DELTA_METADATA_CHANGED"
        : conflict.Contains("(ProtocolChanged)", StringComparison.Ordinal) ? "DELTA_PROTOCOL_CHANGED"
        : conflict.Contains("(ConcurrentTransaction)", StringComparison.Ordinal) ? "DELTA_CONCURRENT_TRANSACTION"
        : "DELTA_CONCURRENT_MODIFICATION";
}
