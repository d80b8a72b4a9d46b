using System.Collections;
using System.Text.RegularExpressions;

namespace Lakehouse.Pipeline.Observability;

/// <summary>Replaces secrets in log text with <c>***</c>: known secret values, connection-string tokens and
/// passwords, bearer and basic credentials, and passwords in URLs.</summary>
internal sealed partial class SecretRedactor
{
    public const string Mask = "***";

    // Short values would mask ordinary words and numbers all over the log.
    private const int MinimumSecretLength = 4;

    private readonly string[] secrets;

    public SecretRedactor(IEnumerable<string> secrets)
    {
        // Longest first, so a secret that contains another is masked whole.
        this.secrets = [.. secrets.Where(s => s.Length >= MinimumSecretLength).Distinct().OrderByDescending(s => s.Length)];
    }

    /// <summary>The values of environment variables whose names say they hold a secret.</summary>
    public static IEnumerable<string> FromEnvironment(IDictionary environment)
    {
        foreach (DictionaryEntry entry in environment)
        {
            if (entry.Key is string name && entry.Value is string value && SecretName().IsMatch(name))
            {
                yield return value;
            }
        }
    }

    public string Redact(string text)
    {
        if (text.Length == 0)
        {
            return text;
        }

        foreach (var secret in secrets)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        text = KeyValueSecret().Replace(text, m => m.Groups["key"].Value + Mask);
        text = AuthorizationScheme().Replace(text, m => m.Groups["scheme"].Value + Mask);
        return UrlPassword().Replace(text, m => m.Groups["user"].Value + Mask + "@");
    }

    [GeneratedRegex("TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    // Spark's connection strings carry the token as a parameter: sc://host:15002/;token=…;use_ssl=true.
    [GeneratedRegex(@"(?<key>\b(?:token|password|pwd|secret|api[_-]?key|access[_-]?key)\s*=\s*)[^;&\s""',]+", RegexOptions.IgnoreCase)]
    private static partial Regex KeyValueSecret();

    [GeneratedRegex(@"(?<scheme>\b(?:bearer|basic)\s+)[A-Za-z0-9\-._~+/]+=*", RegexOptions.IgnoreCase)]
    private static partial Regex AuthorizationScheme();

    [GeneratedRegex(@"(?<user>://[^/\s:@]+:)[^@\s/]+@")]
    private static partial Regex UrlPassword();
}
