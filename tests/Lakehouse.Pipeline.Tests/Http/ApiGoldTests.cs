using Lakehouse.Pipeline.Configuration;
using Lakehouse.Pipeline.Gold;
using Lakehouse.Pipeline.Http;
using Lakehouse.Pipeline.Tests.Reference;
using Serilog;

namespace Lakehouse.Pipeline.Tests.Http;

/// <summary>Pages fetched from the loopback API, read back by the engine as JSON arrays, give the API gold models the
/// reference computes from the same files.</summary>
public sealed class ApiGoldTests
{
    [Fact]
    public async Task FetchedPages_ReadAsSilver_GiveTheReferencesApiGold()
    {
        await using var api = await ApiServer.StartAsync();
        using var landing = new TempDirectory("api");
        var log = new LoggerConfiguration().CreateLogger();
        var tuning = new HttpFetchTuning { BaseDelay = TimeSpan.FromMilliseconds(5) };
        api.Script("/posts?_page=2&_limit=10", ApiServer.Status(500));
        foreach (var source in new[] { "users", "posts", "comments" })
        {
            var config = new HttpSourceConfig { Url = api.Url("/" + source), Paging = new PagingConfig { Size = 10 }, RateLimitPerSecond = 100 };
            await HttpSourceFetcher.FetchAsync(config, landing.Combine("api", source), "b1", log, tuning, CancellationToken.None);
        }

        var engagement = ReferenceApi.UserEngagement(landing.Combine("api", "users"), landing.Combine("api", "posts"), landing.Combine("api", "comments"));
        var top = ReferenceApi.TopPosts(landing.Combine("api", "posts"), landing.Combine("api", "comments"));

        // The server's data: posts 1–10 by user 1, 11–20 by user 2, 21–25 by user 3; three comments on each of posts 1–4,
        // none by a user's email.
        Assert.Equal([(1L, 10L, 12L, 0L), (2L, 10L, 0L, 0L), (3L, 5L, 0L, 0L)], engagement.Select(e => (e.UserId, e.Posts, e.CommentsReceived, e.CommentsMade)));
        Assert.Equal([1L, 2L, 3L, 4L, 5L], top.Take(5).Select(t => t.PostId));
        Assert.Equal([3L, 3L, 3L, 3L, 0L], top.Take(5).Select(t => t.CommentCount));
        Assert.Equal(25, top.Count);

        await using var db = await TestDatabase.CreateAsync();
        foreach (var source in new[] { "users", "posts", "comments" })
        {
            await db.Spark.Read.Option("multiLine", "true").Json(landing.Combine("api", source))
                .Write.Format("delta").Mode(Lakehouse.Spark.SaveMode.Overwrite).SaveAsTableAsync(db.Name("silver." + source));
        }

        var now = DateTimeOffset.UnixEpoch;
        ReferenceAssert.UserEngagementEqual(engagement, await GoldModels.Get("user_engagement").Build(db.Table, now).CollectAsync());
        ReferenceAssert.TopPostsEqual(top, await GoldModels.Get("top_posts").Build(db.Table, now).CollectAsync());
    }
}
