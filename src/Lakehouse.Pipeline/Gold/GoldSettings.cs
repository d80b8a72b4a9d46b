using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Lakehouse.Pipeline.Hosting;

namespace Lakehouse.Pipeline.Gold;

/// <summary>
/// What a gold build depends on besides its inputs' versions, its date and its code: the session time zone (an order's
/// date is the date of <c>order_ts</c> in it) and, for each input that is a source's silver table, how the source keys,
/// keeps (SCD type 2 or latest only) and cleans its rows. A change of any of these with no new data must still rebuild.
/// </summary>
internal static class GoldSettings
{
    private const string TimeZoneConf = "spark.sql.session.timeZone";

    /// <summary>The settings as one short text (<c>tz=…;sources=&lt;hash&gt;</c>), equal exactly when they are.</summary>
    public static async Task<string> ReadAsync(JobContext ctx, IReadOnlyList<string> inputs, CancellationToken ct)
    {
        var zone = await ctx.Spark.Conf.GetAsync(TimeZoneConf, "", ct).ConfigureAwait(false) ?? "";
        var sources = inputs
            .Select(ctx.Config.SilverSource)
            .Where(s => s is not null)
            .Select(s => new Dictionary<string, object> { ["name"] = s!.Name, ["key"] = s.BusinessKey, ["scd2"] = s.Scd2, ["clean"] = s.Clean })
            .ToList();
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(sources)));
        return $"tz={zone};sources={Convert.ToHexStringLower(hash)[..16]}";
    }
}
