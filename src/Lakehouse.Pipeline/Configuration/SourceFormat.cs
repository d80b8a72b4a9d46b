namespace Lakehouse.Pipeline.Configuration;

/// <summary>How a source's landing files are read.</summary>
public enum SourceFormat
{
    /// <summary>JSON lines (<c>*.json</c>), one record per line.</summary>
    Json,

    /// <summary>CSV files (<c>*.csv</c>); reader options such as <c>header</c> come from the source's options.</summary>
    Csv,

    /// <summary>Parquet files (<c>*.parquet</c>).</summary>
    Parquet,

    /// <summary>An HTTP JSON API: pages are fetched into the landing path first, then read as JSON.</summary>
    Http,
}
