using Lakehouse.Delta;

namespace Lakehouse.Cli;

/// <summary>The process exit codes of <c>lakehouse</c>, as README.md documents them.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Ok = 0;

    /// <summary>The command failed for a reason outside the user's input (I/O error, unexpected error).</summary>
    public const int Failed = 1;

    /// <summary>Bad usage or input: unknown option, bad value, a request the table cannot take.</summary>
    public const int BadInput = 2;

    /// <summary>The table, version, timestamp or a data file does not exist.</summary>
    public const int NotFound = 3;

    /// <summary>The table needs a protocol version or table feature this tool does not support.</summary>
    public const int Unsupported = 4;

    /// <summary>The table's log is damaged: corrupt or missing commits, no protocol or metadata.</summary>
    public const int Corrupt = 5;

    /// <summary>Another writer committed a conflicting change; re-running the command is safe.</summary>
    public const int Conflict = 6;

    /// <summary>The exit code for a Delta error kind.</summary>
    public static int For(DeltaErrorKind kind) => kind switch
    {
        DeltaErrorKind.NotADeltaTable or DeltaErrorKind.VersionNotFound or DeltaErrorKind.DataFileNotFound => NotFound,
        DeltaErrorKind.UnsupportedProtocol => Unsupported,
        DeltaErrorKind.CorruptLog or DeltaErrorKind.CorruptDataFile or DeltaErrorKind.NonContiguousVersions or DeltaErrorKind.MissingMetadata or DeltaErrorKind.MissingProtocol => Corrupt,
        DeltaErrorKind.ConcurrentModification => Conflict,
        DeltaErrorKind.InvalidRequest or DeltaErrorKind.TableAlreadyExists => BadInput,
        _ => Failed,
    };
}
