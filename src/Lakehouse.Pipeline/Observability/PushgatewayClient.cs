using System.Text;
using Lakehouse.Pipeline.Runs;

namespace Lakehouse.Pipeline.Observability;

/// <summary>Sends one run's metrics to a Pushgateway group (Pushgateway README, "API").</summary>
internal static class PushgatewayClient
{
    /// <summary>
    /// The group's path: the job, its layer, and its source (or gold model), else its table. The run id is never
    /// part of it, so each run replaces the group of the previous run of the same job instead of adding a new one;
    /// the layer keeps apart the quality runs of a silver table and a gold table that share a name.
    /// </summary>
    public static string GroupPath(JobRunReport report)
    {
        var path = new StringBuilder("metrics");
        Append(path, "job", report.Job);
        Append(path, "layer", report.Layer);
        if (report.Source is not null)
        {
            Append(path, "source", report.Source);
        }
        else if (report.Table is not null)
        {
            Append(path, "table", report.Table);
        }

        return path.ToString();
    }

    /// <summary>
    /// A successful run PUTs, replacing the whole group. A failed run POSTs, which replaces only the metrics it
    /// sends: the last success timestamp stays, so the "has not succeeded" alert keeps counting from the last
    /// success instead of losing its series on the first failure.
    /// </summary>
    public static HttpMethod MethodFor(JobRunReport report) =>
        report.Status == JobStatus.Succeeded ? HttpMethod.Put : HttpMethod.Post;

    /// <summary>Pushes <paramref name="body"/> (text format) and throws <see cref="HttpRequestException"/> unless
    /// the Pushgateway accepted it.</summary>
    public static async Task PushAsync(Uri baseUrl, JobRunReport report, byte[] body, TimeSpan timeout, CancellationToken ct)
    {
        using var handler = new SocketsHttpHandler { ConnectTimeout = timeout, UseProxy = false };
        using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        var target = new Uri(new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + "/"), GroupPath(report));
        using var request = new HttpRequestMessage(MethodFor(report), target) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            throw new HttpRequestException(
                $"the Pushgateway answered {(int)response.StatusCode} {response.ReasonPhrase}: {Shorten(text)}", null, response.StatusCode);
        }
    }

    // Pushgateway README, "URL": a label value that is empty or holds a '/' is sent base64url-encoded, marked by
    // "@base64" after the label name.
    private static void Append(StringBuilder path, string label, string value)
    {
        if (value.Length == 0 || value.Contains('/'))
        {
            var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(value)).Replace('+', '-').Replace('/', '_');
            path.Append('/').Append(label).Append("@base64/").Append(encoded.Length == 0 ? "=" : encoded);
        }
        else
        {
            path.Append('/').Append(label).Append('/').Append(Uri.EscapeDataString(value));
        }
    }

    private static string Shorten(string text) => text.Length <= 300 ? text.Trim() : text[..300].Trim() + "…";
}
