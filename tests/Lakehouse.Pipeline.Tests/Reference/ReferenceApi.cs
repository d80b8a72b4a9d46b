using System.Text.Json;

namespace Lakehouse.Pipeline.Tests.Reference;

/// <summary>A row of <c>gold.user_engagement</c>.</summary>
internal sealed record RefUserEngagement(long UserId, string? Name, string? Username, string? Email, long Posts, long CommentsReceived, long CommentsMade);

/// <summary>A row of <c>gold.top_posts</c>.</summary>
internal sealed record RefTopPost(long Rank, long PostId, long UserId, string? Title, long CommentCount);

/// <summary>
/// The API models computed from the pages an HTTP source saved (each file one JSON array, as
/// <c>HttpSourceFetcher</c> saves it), without pipeline code: silver keeps the last record per <c>id</c> in arrival
/// order (file-name order, then array order; these sources have no sequence column), records without an id or in a
/// malformed page are not in silver; then the definitions of docs/pipeline-quality-gold.md.
/// </summary>
internal static class ReferenceApi
{
    public static List<RefUserEngagement> UserEngagement(string usersDir, string postsDir, string commentsDir)
    {
        var users = Latest(usersDir);
        var posts = Latest(postsDir);
        var comments = Latest(commentsDir);
        var authorOf = posts.Values.ToDictionary(p => Long(p, "id"), p => Long(p, "userId"));
        return [.. users.Values.Select(u =>
        {
            var id = Long(u, "id");
            var email = Text(u, "email")?.Trim(' ').ToLowerInvariant();
            return new RefUserEngagement(
                id, Text(u, "name"), Text(u, "username"), Text(u, "email"),
                posts.Values.Count(p => Long(p, "userId") == id),
                comments.Values.Count(c => authorOf.TryGetValue(Long(c, "postId"), out var author) && author == id),
                comments.Values.Count(c => email is not null && Text(c, "email")?.Trim(' ').ToLowerInvariant() == email));
        }).OrderBy(u => u.UserId)];
    }

    public static List<RefTopPost> TopPosts(string postsDir, string commentsDir)
    {
        var comments = Latest(commentsDir).Values.GroupBy(c => Long(c, "postId")).ToDictionary(g => g.Key, g => (long)g.Count());
        return [.. Latest(postsDir).Values
            .Select(p => (Id: Long(p, "id"), User: Long(p, "userId"), Title: Text(p, "title"), Count: comments.GetValueOrDefault(Long(p, "id"))))
            .OrderByDescending(p => p.Count).ThenBy(p => p.Id)
            .Select((p, i) => new RefTopPost(i + 1, p.Id, p.User, p.Title, p.Count))];
    }

    private static Dictionary<long, JsonElement> Latest(string directory)
    {
        var latest = new Dictionary<long, JsonElement>();
        IEnumerable<string> files = Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*.json").OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal)
            : [];
        foreach (var file in files)
        {
            JsonElement page;
            try
            {
                page = JsonDocument.Parse(File.ReadAllText(file)).RootElement;
            }
            catch (JsonException)
            {
                continue;
            }

            foreach (var record in page.ValueKind == JsonValueKind.Array ? page.EnumerateArray() : Enumerable.Repeat(page, 1))
            {
                if (record.ValueKind == JsonValueKind.Object && record.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number)
                {
                    latest[id.GetInt64()] = record;
                }
            }
        }

        return latest;
    }

    private static long Long(JsonElement record, string field) =>
        record.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : long.MinValue;

    private static string? Text(JsonElement record, string field) =>
        record.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
