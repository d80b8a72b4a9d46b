using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lakehouse.Delta.Actions;

/// <summary>Reads and writes commit files: newline-delimited JSON, one action per line (PROTOCOL.md, Delta Log Entries).</summary>
public static class ActionJson
{
    /// <summary>Parses a commit file. Blank lines are skipped; a line that is not a JSON action raises <see cref="DeltaErrorKind.CorruptLog"/>.</summary>
    /// <param name="content">The file's bytes.</param>
    /// <param name="fileName">Used in error messages.</param>
    public static List<DeltaAction> ParseCommit(ReadOnlySpan<byte> content, string fileName)
    {
        var actions = new List<DeltaAction>();
        var line = 0;
        while (!content.IsEmpty)
        {
            line++;
            var end = content.IndexOf((byte)'\n');
            var current = end < 0 ? content : content[..end];
            content = end < 0 ? [] : content[(end + 1)..];
            if (current.Trim(" \t\r"u8).IsEmpty)
            {
                continue;
            }

            actions.Add(ParseLine(current, fileName, line));
        }

        return actions;
    }

    /// <summary>Parses one action line.</summary>
    public static DeltaAction ParseLine(ReadOnlySpan<byte> json, string fileName, int line)
    {
        try
        {
            return JsonSerializer.Deserialize(json, ActionJsonContext.Default.DeltaAction)
                ?? throw new JsonException("the line is JSON null");
        }
        catch (JsonException e)
        {
            throw new DeltaException(DeltaErrorKind.CorruptLog,
                $"{fileName} line {line} is not a valid Delta action ({e.Message}). The commit file is corrupt; "
                + "restore it from a backup, or if it is the newest commit and was never completed, remove it so the table reads at the previous version.",
                inner: e);
        }
    }

    /// <summary>Serializes actions as a commit file: one compact JSON object per line, each line ending in a newline.</summary>
    public static byte[] WriteCommit(IEnumerable<DeltaAction> actions)
    {
        using var buffer = new MemoryStream();
        foreach (var action in actions)
        {
            // Escape like Spark's Jackson (\" inside strings, non-ASCII kept), not System.Text.Json's HTML-safe \u0022.
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                JsonSerializer.Serialize(writer, action, ActionJsonContext.Default.DeltaAction);
            }

            buffer.WriteByte((byte)'\n');
        }

        return buffer.ToArray();
    }

    /// <summary>Serializes one action as a single JSON line (without the newline).</summary>
    public static string ToJson(DeltaAction action) => JsonSerializer.Serialize(action, ActionJsonContext.Default.DeltaAction);

    internal static string Utf8(ReadOnlySpan<byte> b) => Encoding.UTF8.GetString(b);
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DeltaAction))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class ActionJsonContext : JsonSerializerContext;
