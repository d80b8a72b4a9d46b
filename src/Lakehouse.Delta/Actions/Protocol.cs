using System.Text.Json.Serialization;

namespace Lakehouse.Delta.Actions;

/// <summary>The <c>protocol</c> action: the reader/writer versions and table features a client needs (PROTOCOL.md, Protocol Evolution).</summary>
public sealed record Protocol
{
    /// <summary>Minimum reader protocol version (1–3).</summary>
    [JsonPropertyName("minReaderVersion")] public int MinReaderVersion { get; init; } = 1;

    /// <summary>Minimum writer protocol version (2–7).</summary>
    [JsonPropertyName("minWriterVersion")] public int MinWriterVersion { get; init; } = 2;

    /// <summary>Reader features; present only when <see cref="MinReaderVersion"/> is 3.</summary>
    [JsonPropertyName("readerFeatures")] public IReadOnlyList<string>? ReaderFeatures { get; init; }

    /// <summary>Writer features; present only when <see cref="MinWriterVersion"/> is 7.</summary>
    [JsonPropertyName("writerFeatures")] public IReadOnlyList<string>? WriterFeatures { get; init; }
}
