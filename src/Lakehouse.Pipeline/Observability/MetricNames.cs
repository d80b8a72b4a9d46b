namespace Lakehouse.Pipeline.Observability;

/// <summary>The names and help texts of the metrics a job run reports; docs/metrics.md lists the same.</summary>
internal static class MetricNames
{
    public const string RecordsRead = "lakehouse_job_records_read";
    public const string RecordsWritten = "lakehouse_job_records_written";
    public const string RecordsDropped = "lakehouse_job_records_dropped";
    public const string RecordsQuarantined = "lakehouse_job_records_quarantined";
    public const string RecordsRescued = "lakehouse_job_records_rescued";
    public const string BytesWritten = "lakehouse_job_bytes_written";
    public const string FilesWritten = "lakehouse_job_files_written";
    public const string Duration = "lakehouse_job_duration_seconds";
    public const string Succeeded = "lakehouse_job_succeeded";
    public const string LastRun = "lakehouse_job_last_run_timestamp_seconds";
    public const string LastSuccess = "lakehouse_job_last_success_timestamp_seconds";
    public const string Failed = "lakehouse_job_failed";
    public const string TableVersion = "lakehouse_table_version";
    public const string TableFiles = "lakehouse_table_files";
    public const string TableSize = "lakehouse_table_size_bytes";
    public const string TableMeanFileSize = "lakehouse_table_mean_file_size_bytes";
    public const string Freshness = "lakehouse_data_freshness_seconds";
    public const string NewestRecord = "lakehouse_data_newest_record_timestamp_seconds";
    public const string CheckStatus = "lakehouse_dq_check_status";
    public const string CheckFailingRows = "lakehouse_dq_check_failing_rows";

    private static readonly Dictionary<string, string> HelpTexts = new()
    {
        [RecordsRead] = "Records the last run read from its input.",
        [RecordsWritten] = "Records the last run wrote to its output table (inserted plus updated).",
        [RecordsDropped] = "Records the last run dropped by drop expectations (rows superseded by a newer version of their key are not counted).",
        [RecordsQuarantined] = "Records the last run sent to the quarantine table.",
        [RecordsRescued] = "Malformed records the last run kept with their raw text in the rescue column.",
        [BytesWritten] = "Bytes of data files the last run's commit added.",
        [FilesWritten] = "Data files the last run's commit added.",
        [Duration] = "Duration of the last run in seconds (one observation per pushed run).",
        [Succeeded] = "1 if the last run succeeded, 0 if it failed.",
        [LastRun] = "Unix time at which the last run ended, successful or not.",
        [LastSuccess] = "Unix time at which the last successful run ended.",
        [Failed] = "1 for the error kind of the last run when it failed.",
        [TableVersion] = "Delta version of the output table after the last run.",
        [TableFiles] = "Data files in the output table after the last run.",
        [TableSize] = "Bytes of data files in the output table after the last run.",
        [TableMeanFileSize] = "Mean data file size in bytes of the output table after the last run.",
        [Freshness] = "Seconds between the newest record's event time and the end of the last run.",
        [NewestRecord] = "Unix time of the newest record's event time as of the last run that measured it.",
        [CheckStatus] = "1 if the data-quality check passed in the last run, 0 if it failed.",
        [CheckFailingRows] = "Rows that failed the data-quality check in the last run.",
    };

    /// <summary>Every metric name, for the documentation test.</summary>
    public static IReadOnlyCollection<string> All => HelpTexts.Keys;

    public static string Help(string name) => HelpTexts[name];
}
