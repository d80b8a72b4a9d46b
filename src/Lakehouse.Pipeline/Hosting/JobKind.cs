namespace Lakehouse.Pipeline.Hosting;

/// <summary>The four jobs of docs/pipeline-jobs.md.</summary>
public enum JobKind
{
    /// <summary>One source: landing → <c>bronze.&lt;source&gt;</c>.</summary>
    Bronze,

    /// <summary>One source: <c>bronze.&lt;source&gt;</c> → <c>silver.&lt;source&gt;</c> (+ quarantine).</summary>
    Silver,

    /// <summary>The table checks of one table.</summary>
    Quality,

    /// <summary>One gold model: <c>gold.&lt;model&gt;</c>.</summary>
    Gold,
}
