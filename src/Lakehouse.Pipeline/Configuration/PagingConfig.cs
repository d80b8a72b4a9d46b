namespace Lakehouse.Pipeline.Configuration;

/// <summary>Page-number paging of an HTTP source: <c>?&lt;page_param&gt;=n&amp;&lt;size_param&gt;=size</c>, from page 1
/// until a page has fewer than <see cref="Size"/> records or <see cref="MaxPages"/> pages were fetched.</summary>
public sealed record PagingConfig
{
    /// <summary>The query parameter carrying the page number (from 1); default <c>_page</c>.</summary>
    public string PageParam { get; init; } = "_page";

    /// <summary>The query parameter carrying the page size; default <c>_limit</c>.</summary>
    public string SizeParam { get; init; } = "_limit";

    /// <summary>Records per page; default 100.</summary>
    public int Size { get; init; } = 100;

    /// <summary>The most pages fetched in one run; default 100.</summary>
    public int MaxPages { get; init; } = 100;
}
