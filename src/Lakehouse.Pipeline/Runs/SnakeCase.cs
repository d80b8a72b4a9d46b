using System.Reflection;
using System.Text;

namespace Lakehouse.Pipeline.Runs;

/// <summary>Column names for ops tables: a record's PascalCase properties as snake_case, as SQL users expect.</summary>
internal static class SnakeCase
{
    public static IReadOnlyDictionary<string, string> Renames(Type record) =>
        record.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.Name != "EqualityContract")
            .ToDictionary(p => p.Name, p => Convert(p.Name));

    public static string Convert(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(name[i]));
        }

        return text.ToString();
    }
}
