using System.Globalization;

namespace Lakehouse.Pipeline.Tests.Reference;

/// <summary>
/// The cleaning functions of the pipeline file, as Spark defines them, on raw strings. Casts are "try" casts: a value
/// that does not parse becomes null, and the row is quarantined by the implicit cast rule (<see cref="CastFailed"/>).
/// </summary>
internal static class ReferenceCasts
{
    /// <summary>Spark's <c>trim</c> removes the space character only (not tabs or other whitespace); the pipeline's
    /// <c>trim</c> rule then turns blank text into null (src/Lakehouse.Pipeline/Silver/Cleaning.cs).</summary>
    public static string? Trim(string? value) => value?.Trim(' ') is { Length: > 0 } t ? t : null;

    /// <summary>The implicit <c>cast_&lt;column&gt;</c> rule: a non-empty value whose cast gave null fails (and is
    /// quarantined); empty text casts to null without failing.</summary>
    public static bool CastFailed(string? raw, object? result) => !string.IsNullOrEmpty(raw) && result is null;

    public static string? Lower(string? value) => value?.ToLowerInvariant();

    public static int? Int(string? value) =>
        int.TryParse(Trim(value), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null;

    /// <summary><c>decimal(p,s)</c>: rounds half up to <paramref name="scale"/> places; null when it does not fit.</summary>
    public static decimal? Decimal(string? value, int precision, int scale)
    {
        if (!decimal.TryParse(Trim(value), NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
        {
            return null;
        }

        var rounded = Math.Round(v, scale, MidpointRounding.AwayFromZero);
        var limit = (decimal)Math.Pow(10, precision - scale);
        return Math.Abs(rounded) < limit ? rounded : null;
    }

    /// <summary>A timestamp written <c>yyyy-MM-dd HH:mm:ss</c>, read in the session time zone (UTC).</summary>
    public static DateTimeOffset? Timestamp(string? value) =>
        DateTime.TryParseExact(Trim(value), ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFF"],
            CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var v)
            ? new DateTimeOffset(v, TimeSpan.Zero)
            : null;

    public static DateOnly? Date(string? value) =>
        DateOnly.TryParseExact(Trim(value), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var v) ? v : null;

    /// <summary>Spark's string-to-boolean cast: t/true/y/yes/1 and f/false/n/no/0, any case.</summary>
    public static bool? Boolean(string? value) => Lower(Trim(value)) switch
    {
        "t" or "true" or "y" or "yes" or "1" => true,
        "f" or "false" or "n" or "no" or "0" => false,
        _ => null,
    };
}
