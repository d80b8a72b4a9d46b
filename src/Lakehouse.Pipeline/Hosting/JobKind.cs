namespace Lakehouse.Pipeline.Hosting;

/// <summary>The four jobs of docs/pipeline-jobs.md, and the quarantine replay.</summary>
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

    /// <summary>One source: the rows of <c>silver.&lt;source&gt;_quarantine</c> that pass now → <c>silver.&lt;source&gt;</c>
    /// (<c>lakehouse quarantine replay</c>; not a task of the graph).</summary>
    Replay,
}
