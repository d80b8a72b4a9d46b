using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Gold;

/// <summary>
/// <c>gold.top_posts</c>: every silver post with rank, post_id, user_id, title and comment_count, ranked by comment
/// count (most first; posts without comments count 0); ties are broken by post id ascending, so ranks are 1..n
/// without gaps and a rerun gives the same table.
/// </summary>
internal sealed class TopPostsModel : GoldModel
{
    public override string Name => "top_posts";

    public override IReadOnlyList<string> Inputs { get; } = ["silver.posts", "silver.comments"];

    internal override DataFrame Build(DateTimeOffset now, Func<string, DataFrame> table)
    {
        var counts = table("silver.comments").GroupBy(Col("postId").Alias("commented_post")).Agg(Count(Lit(1)).Alias("comments"));
        var ranked = Window.OrderBy(Col("comment_count").Desc(), Col("post_id").Asc());
        return table("silver.posts")
            .Select(Col("id").Alias("post_id"), Col("userId").Alias("user_id"), Col("title"))
            .Join(counts, Col("post_id") == Col("commented_post"), "left")
            .Select(Col("post_id"), Col("user_id"), Col("title"), Coalesce(Col("comments"), Lit(0L)).Alias("comment_count"))
            .Select(RowNumber().Over(ranked).Alias("rank"), Col("post_id"), Col("user_id"), Col("title"), Col("comment_count"));
    }
}
