using Lakehouse.Spark;
using static Lakehouse.Spark.Functions;

namespace Lakehouse.Pipeline.Gold;

/// <summary>
/// <c>gold.user_engagement</c> over the JSONPlaceholder-style API sources: one row per silver user (<c>id</c>, name,
/// username, email) with user_id, name, username, email, posts (posts whose <c>userId</c> is the user),
/// comments_received (comments on those posts) and comments_made (comments whose email is the user's, compared
/// trimmed and lower-cased, since comments carry no user id).
/// </summary>
internal sealed class UserEngagementModel : GoldModel
{
    public override string Name => "user_engagement";

    public override IReadOnlyList<string> Inputs { get; } = ["silver.users", "silver.posts", "silver.comments"];

    internal override DataFrame Build(DateTimeOffset now, Func<string, DataFrame> table)
    {
        var posts = table("silver.posts").Select(Col("id").Alias("post_id"), Col("userId").Alias("author_id"));
        var comments = table("silver.comments").Select(Col("postId").Alias("post_id"), Lower(Trim(Col("email"))).Alias("commenter"));

        var written = posts.GroupBy("author_id").Agg(Count(Lit(1)).Alias("post_count"));
        var received = comments.Join(posts, "post_id").GroupBy("author_id").Agg(Count(Lit(1)).Alias("received_count"));
        var made = comments.GroupBy("commenter").Agg(Count(Lit(1)).Alias("made_count"));

        var users = table("silver.users").Select(
            Col("id").Alias("user_id"), Col("name"), Col("username"), Col("email"), Lower(Trim(Col("email"))).Alias("user_email"));
        return users
            .Join(written, Col("user_id") == Col("author_id"), "left").Drop("author_id")
            .Join(received, Col("user_id") == Col("author_id"), "left").Drop("author_id")
            .Join(made, Col("user_email") == Col("commenter"), "left")
            .Select(
                Col("user_id"),
                Col("name"),
                Col("username"),
                Col("email"),
                Coalesce(Col("post_count"), Lit(0L)).Alias("posts"),
                Coalesce(Col("received_count"), Lit(0L)).Alias("comments_received"),
                Coalesce(Col("made_count"), Lit(0L)).Alias("comments_made"));
    }
}
