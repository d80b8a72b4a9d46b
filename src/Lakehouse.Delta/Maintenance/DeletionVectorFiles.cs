using System.Text;
using Lakehouse.Delta.Actions;
using Lakehouse.Delta.Storage;

namespace Lakehouse.Delta.Maintenance;

/// <summary>Where on-disk deletion vectors live, so that vacuum keeps the ones still referenced.</summary>
internal static class DeletionVectorFiles
{
    private const string Z85Alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

    /// <summary>The absolute path of the file holding <paramref name="dv"/>; null for inline vectors.</summary>
    public static string? PathOf(string tableRoot, DeletionVectorDescriptor dv)
    {
        switch (dv.StorageType)
        {
            case "p":
                return TablePaths.ResolveDataFile(tableRoot, dv.PathOrInlineDv);
            case "u":
                // PROTOCOL.md, Deletion Vector Descriptor Schema: <random prefix><20 chars Z85 of the UUID>,
                // stored at <prefix>/deletion_vector_<uuid>.bin under the table root.
                var text = dv.PathOrInlineDv;
                if (text.Length < 20)
                {
                    throw new DeltaException(DeltaErrorKind.CorruptLog, $"The deletion vector path '{text}' is shorter than the 20 characters of its UUID. The log is damaged.", tableRoot);
                }

                var prefix = text[..^20];
                var uuid = Uuid(Z85Decode(text[^20..]));
                var name = $"deletion_vector_{uuid}.bin";
                return prefix.Length == 0 ? Path.Combine(tableRoot, name) : Path.Combine(tableRoot, prefix, name);
            default:
                return null;
        }
    }

    private static byte[] Z85Decode(string text)
    {
        var bytes = new byte[text.Length / 5 * 4];
        for (var block = 0; block < text.Length / 5; block++)
        {
            uint value = 0;
            for (var i = 0; i < 5; i++)
            {
                var digit = Z85Alphabet.IndexOf(text[(block * 5) + i], StringComparison.Ordinal);
                if (digit < 0)
                {
                    throw new DeltaException(DeltaErrorKind.CorruptLog, $"'{text}' is not Z85 text (deletion vector path). The log is damaged.");
                }

                value = (value * 85) + (uint)digit;
            }

            bytes[block * 4] = (byte)(value >> 24);
            bytes[(block * 4) + 1] = (byte)(value >> 16);
            bytes[(block * 4) + 2] = (byte)(value >> 8);
            bytes[(block * 4) + 3] = (byte)value;
        }

        return bytes;
    }

    private static string Uuid(byte[] b)
    {
        // The 16 bytes are the UUID's most then least significant halves, big-endian (Java's UUID layout).
        var hex = Convert.ToHexStringLower(b);
        return new StringBuilder(hex).Insert(20, '-').Insert(16, '-').Insert(12, '-').Insert(8, '-').ToString();
    }
}
