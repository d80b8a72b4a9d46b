namespace Lakehouse.Spark;

/// <summary>What a write does when the target already exists.</summary>
public enum SaveMode
{
    /// <summary>Fail (Spark's default).</summary>
    ErrorIfExists,

    /// <summary>Add the rows.</summary>
    Append,

    /// <summary>Replace the data (with Delta: atomically, or only rows matching <c>replaceWhere</c>).</summary>
    Overwrite,

    /// <summary>Do nothing.</summary>
    Ignore,
}
