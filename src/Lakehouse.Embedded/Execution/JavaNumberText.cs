using System.Globalization;

namespace Lakehouse.Embedded.Execution;

/// <summary>
/// Java's Double.toString / Float.toString, which Spark uses to cast and show floating values: the shortest digits
/// that round-trip, plain notation with at least one fraction digit for magnitudes in [1e-3, 1e7), otherwise
/// <c>d.dddE±n</c> (<c>1.0E7</c>, <c>1.5E-5</c>); <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c>.
/// </summary>
internal static class JavaNumberText
{
    public static string Double(double d) =>
        double.IsNaN(d) ? "NaN" : double.IsInfinity(d) ? (d > 0 ? "Infinity" : "-Infinity") : Format(d.ToString("R", CultureInfo.InvariantCulture), Math.Abs(d), double.IsNegative(d));

    public static string Float(float f) =>
        float.IsNaN(f) ? "NaN" : float.IsInfinity(f) ? (f > 0 ? "Infinity" : "-Infinity") : Format(f.ToString("R", CultureInfo.InvariantCulture), Math.Abs(f), float.IsNegative(f));

    private static string Format(string shortest, double abs, bool negative)
    {
        var (digits, exponent) = Digits(shortest.TrimStart('-'));
        var sign = negative ? "-" : "";
        if (abs == 0)
        {
            return sign + "0.0";
        }

        // value = 0.<digits> × 10^exponent
        if (abs >= 1e-3 && abs < 1e7)
        {
            string text;
            if (exponent <= 0)
            {
                text = "0." + new string('0', -exponent) + digits;
            }
            else if (exponent >= digits.Length)
            {
                text = digits + new string('0', exponent - digits.Length) + ".0";
            }
            else
            {
                text = digits[..exponent] + "." + digits[exponent..];
            }

            return sign + text;
        }

        var mantissa = digits.Length == 1 ? digits + ".0" : digits[0] + "." + digits[1..];
        return sign + mantissa + "E" + (exponent - 1).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The significant digits (no leading or trailing zeros) and decimal exponent of a .NET round-trip string.</summary>
    private static (string Digits, int Exponent) Digits(string r)
    {
        var e = 0;
        var ePos = r.IndexOfAny(['E', 'e']);
        if (ePos >= 0)
        {
            e = int.Parse(r[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            r = r[..ePos];
        }

        var point = r.IndexOf('.', StringComparison.Ordinal);
        var intPart = point < 0 ? r : r[..point];
        var fracPart = point < 0 ? "" : r[(point + 1)..];
        var all = intPart + fracPart;
        var exponent = intPart.Length + e;
        var lead = all.Length - all.TrimStart('0').Length;
        all = all.TrimStart('0').TrimEnd('0');
        return (all.Length == 0 ? "0" : all, exponent - lead);
    }
}
