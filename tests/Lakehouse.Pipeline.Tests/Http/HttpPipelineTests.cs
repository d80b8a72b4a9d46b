using Lakehouse.Pipeline.Hosting;
using Lakehouse.Pipeline.Tests.Reference;
using Lakehouse.Pipeline.Tests.Support;

namespace Lakehouse.Pipeline.Tests.Http;

/// <summary>HTTP sources end to end: the loopback API (with errors, a rate-limit answer, a slow and a malformed page) → landing →
/// bronze → silver → the API gold models, equal to the reference computed from the saved pages.</summary>
public sealed class HttpPipelineTests
{
    [Fact]
    public async Task Run_ApiSourcesWithFaults_GoldEqualsTheReferenceOfTheSavedPages()
    {
        await using var api = await ApiServer.StartAsync();
        await using var h = await PipelineHarness.StartAsync();
        api.Script("/posts?_page=2&_limit=10", ApiServer.Status(500), ApiServer.Status(429, retryAfterSeconds: 1));
        api.Script("/comments?_page=1&_limit=10", ApiServer.Slow(TimeSpan.FromSeconds(30)));
        api.Script("/posts?_page=3&_limit=10", ApiServer.Body("[{\"userId\": 3, \"id\": 21, \"title\": \"cut"));
        var config = h.Config($$"""
            name: api
            warehouse: ./warehouse
            landing: ./landing
            sources:
            {{Source("users", api)}}
            {{Source("posts", api)}}
            {{Source("comments", api)}}
            gold:
              - { name: user_engagement, inputs: [silver.users, silver.posts, silver.comments] }
              - { name: top_posts, inputs: [silver.posts, silver.comments] }
            """);
        var interval = new DataInterval(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 1, 4, 0, 0, TimeSpan.Zero));

        var outcomes = await h.Graph(config, new RunSettings { RunId = "api-1", Interval = interval }).RunAsync(parallelism: 3);

        Assert.True(outcomes.All(o => o.State == TaskState.Succeeded),
            string.Join(Environment.NewLine, outcomes.Select(o => $"{o.Task.Id}: {o.State} {o.Report?.Error}")) + Environment.NewLine + h.Logs);
        Assert.Equal(["interval-20260301T040000Z-page-00001.json", "interval-20260301T040000Z-page-00002.json", "interval-20260301T040000Z-page-00003.json", "interval-20260301T040000Z-page-00004.json"],
            Directory.GetFiles(Path.Combine(h.Landing, "api", "posts")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        string Dir(string source) => Path.Combine(h.Landing, "api", source);
        ReferenceAssert.UserEngagementEqual(ReferenceApi.UserEngagement(Dir("users"), Dir("posts"), Dir("comments")),
            await h.Table(config, "gold.user_engagement").CollectAsync());
        ReferenceAssert.TopPostsEqual(ReferenceApi.TopPosts(Dir("posts"), Dir("comments")), await h.Table(config, "gold.top_posts").CollectAsync());

        // The malformed page (posts 21–25 in its place) is kept in bronze as one rescued record and reaches no gold row.
        Assert.Equal(1, await h.Table(config, "bronze.posts").Filter(Lakehouse.Spark.Functions.Col("_rescued_data").IsNotNull()).CountAsync());
        Assert.Equal(20, await h.Table(config, "silver.posts").CountAsync());
    }

    private static string Source(string name, ApiServer api) => $$"""
          - name: {{name}}
            format: http
            path: api/{{name}}
            http: { url: "{{api.Url("/" + name)}}", paging: { size: 10 }, rate_limit_per_second: 50, retries: 3, timeout_seconds: 1 }
            business_key: [id]
        """;
}
