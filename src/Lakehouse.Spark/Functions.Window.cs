namespace Lakehouse.Spark;

public static partial class Functions
{
    /// <summary>1-based row number within the window partition.</summary>
    public static Column RowNumber() => Call("row_number");

    /// <summary>Rank with gaps.</summary>
    public static Column Rank() => Call("rank");

    /// <summary>Rank without gaps.</summary>
    public static Column DenseRank() => Call("dense_rank");

    /// <summary>The value <paramref name="offset"/> rows before the current one.</summary>
    /// <param name="column">The column.</param>
    /// <param name="offset">Rows back.</param>
    /// <param name="defaultValue">Value when there is no such row.</param>
    public static Column Lag(Column column, int offset = 1, object? defaultValue = null) =>
        Call("lag", column, Lit(offset), Lit(defaultValue));

    /// <summary>The value <paramref name="offset"/> rows after the current one.</summary>
    /// <param name="column">The column.</param>
    /// <param name="offset">Rows ahead.</param>
    /// <param name="defaultValue">Value when there is no such row.</param>
    public static Column Lead(Column column, int offset = 1, object? defaultValue = null) =>
        Call("lead", column, Lit(offset), Lit(defaultValue));
}
