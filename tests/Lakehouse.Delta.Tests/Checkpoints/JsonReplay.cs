using System.Text.Json;

namespace Lakehouse.Delta.Tests.Checkpoints;

/// <summary>
/// An independent log replay for tests: reads the JSON commits 0..N with <see cref="JsonDocument"/> and applies
/// PROTOCOL.md, Action Reconciliation by hand (latest protocol/metadata wins, add/remove keyed by path and
/// deletion vector, latest txn per app id).
/// </summary>
internal sealed class JsonReplay
{
    public Dictionary<string, JsonElement> Files { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Tombstones { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, long> Transactions { get; } = new(StringComparer.Ordinal);

    public JsonElement Protocol { get; private set; }

    public JsonElement Metadata { get; private set; }

    public static JsonReplay Of(string logPath, long version)
    {
        var replay = new JsonReplay();
        for (var v = 0L; v <= version; v++)
        {
            foreach (var line in File.ReadAllLines(Path.Combine(logPath, $"{v:D20}.json")))
            {
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                using var doc = JsonDocument.Parse(line);
                var action = doc.RootElement.EnumerateObject().Single();
                var value = action.Value.Clone();
                switch (action.Name)
                {
                    case "add":
                        replay.Files[Key(value)] = value;
                        replay.Tombstones.Remove(Key(value));
                        break;
                    case "remove":
                        replay.Files.Remove(Key(value));
                        replay.Tombstones.Add(Key(value));
                        break;
                    case "protocol":
                        replay.Protocol = value;
                        break;
                    case "metaData":
                        replay.Metadata = value;
                        break;
                    case "txn":
                        replay.Transactions[value.GetProperty("appId").GetString()!] = value.GetProperty("version").GetInt64();
                        break;
                }
            }
        }

        return replay;
    }

    /// <summary>Path plus deletion-vector location, the reconciliation key.</summary>
    public static string Key(JsonElement fileAction)
    {
        var path = fileAction.GetProperty("path").GetString()!;
        if (fileAction.TryGetProperty("deletionVector", out var dv) && dv.ValueKind == JsonValueKind.Object)
        {
            var offset = dv.TryGetProperty("offset", out var o) && o.ValueKind == JsonValueKind.Number ? "@" + o.GetInt32() : "";
            return path + "|" + dv.GetProperty("storageType").GetString() + dv.GetProperty("pathOrInlineDv").GetString() + offset;
        }

        return path;
    }
}
