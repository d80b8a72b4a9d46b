namespace Lakehouse.Pipeline.Http;

/// <summary>One page an HTTP source fetch saved in the landing zone.</summary>
/// <param name="Page">The page number, from 1 (1 for a source without paging).</param>
/// <param name="Path">The saved file (full path), named <c>&lt;batch id&gt;-page-&lt;page&gt;.json</c>.</param>
/// <param name="Bytes">The size of the response body as saved.</param>
/// <param name="Records">Records on the page (array elements; 1 for a single object); null when the page is not valid JSON.</param>
/// <param name="Attempts">Requests it took, retries included.</param>
/// <param name="Error">Why the page is malformed (the JSON parser's message); null when it parsed.</param>
public sealed record FetchedPage(int Page, string Path, long Bytes, int? Records, int Attempts, string? Error)
{
    /// <summary>The page was saved but is not valid JSON: bronze keeps it as a malformed record.</summary>
    public bool Malformed => Error is not null;
}
