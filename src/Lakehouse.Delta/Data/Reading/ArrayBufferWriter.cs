namespace Lakehouse.Delta.Data.Reading;

/// <summary>A growable byte buffer for the data buffer of variable-length Arrow arrays.</summary>
internal sealed class ArrayBufferWriter
{
    private byte[] _buffer = new byte[256];

    /// <summary>Bytes written so far.</summary>
    public int Length { get; private set; }

    /// <summary>A span of at least <paramref name="size"/> bytes at the end of the buffer.</summary>
    public Span<byte> GetSpan(int size)
    {
        if (Length + size > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + size));
        }

        return _buffer.AsSpan(Length);
    }

    /// <summary>Marks <paramref name="count"/> bytes of the last span as written.</summary>
    public void Advance(int count) => Length += count;

    /// <summary>Appends bytes.</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        Length += bytes.Length;
    }

    /// <summary>The written bytes.</summary>
    public byte[] ToArray() => _buffer.AsSpan(0, Length).ToArray();
}
