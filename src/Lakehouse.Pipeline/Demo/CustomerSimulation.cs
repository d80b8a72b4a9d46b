using Bogus;
using Bogus.DataSets;

namespace Lakehouse.Pipeline.Demo;

/// <summary>The demo's customers: base rows are a function of (seed, index); later batches add and update some.</summary>
internal sealed class CustomerSimulation
{
    private static readonly (string Country, string Region)[] Countries =
    [
        ("US", "NA"), ("CA", "NA"), ("MX", "LATAM"), ("BR", "LATAM"), ("GB", "EMEA"),
        ("DE", "EMEA"), ("FR", "EMEA"), ("IN", "APAC"), ("JP", "APAC"), ("AU", "APAC"),
    ];

    private static readonly string[] Segments = ["consumer", "consumer", "consumer", "small_business", "small_business", "corporate"];

    private readonly DemoPlan _plan;
    private readonly Name _names = new("en");
    private readonly Internet _internet = new("en");
    private readonly Dictionary<int, string> _segment = [];

    public CustomerSimulation(DemoPlan plan)
    {
        _plan = plan;
        Anomalies = AnomalyPlacement.Place(
            plan.Customers,
            DemoRandom.For(plan.Seed, 21, 0),
            (CustomerAnomaly.MessyEmail, Math.Max(1, plan.Customers / 10)),
            (CustomerAnomaly.NullEmail, Math.Max(1, plan.Customers / 50)),
            (CustomerAnomaly.Duplicate, Math.Max(1, plan.Customers / 100)));
    }

    /// <summary>Anomalies of batch 1 by customer index.</summary>
    public Dictionary<int, CustomerAnomaly> Anomalies { get; }

    public static string Id(int index) => $"C-{index:D7}";

    public DemoCustomer Base(int index)
    {
        var random = DemoRandom.For(_plan.Seed, 20, index);
        var bogus = new Randomizer(random.NextSeed());
        _names.Random = bogus;
        _internet.Random = bogus;
        var first = _names.FirstName();
        var last = _names.LastName();
        var (country, region) = Countries[random.Next(Countries.Length)];
        var segment = Segments[random.Next(Segments.Length)];
        var batch = _plan.BatchOfCustomer(index);
        var signup = batch == 1
            ? DateOnly.FromDateTime(_plan.Anchor.UtcDateTime).AddDays(-100 - random.Next(1400))
            : DateOnly.FromDateTime(_plan.Window(batch).UtcDateTime);
        var updated = batch == 1
            ? new DateTimeOffset(signup.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddSeconds(random.Next(86_400))
            : _plan.Window(batch).AddSeconds(random.Next(1800));
        string? email = _internet.Email(first, last).ToLowerInvariant();
        switch (batch == 1 ? Anomalies.GetValueOrDefault(index) : CustomerAnomaly.None)
        {
            case CustomerAnomaly.MessyEmail:
                email = "  " + Shout(email, ref random) + " ";
                break;
            case CustomerAnomaly.NullEmail:
                email = null;
                break;
        }

        return new DemoCustomer(Id(index), $"{first} {last}", email, country, region, segment, signup, updated);
    }

    /// <summary>Segment changes of <paramref name="batch"/> (≥ 2) among earlier customers, applied to the state.</summary>
    public List<DemoCustomer> Advance(int batch)
    {
        var random = DemoRandom.For(_plan.Seed, 22, batch);
        var changed = new List<DemoCustomer>();
        foreach (var index in AnomalyPlacement.Pick(_plan.CustomersThrough(batch - 1), _plan.CustomerUpdatesPerBatch, ref random, _ => true))
        {
            var current = Base(index);
            var segment = _segment.GetValueOrDefault(index, current.Segment);
            var next = Segments.Distinct().Where(s => s != segment).ElementAt(random.Next(2));
            _segment[index] = next;
            changed.Add(current with { Segment = next, UpdatedAt = _plan.ChangeTime(batch, ref random) });
        }

        return changed;
    }

    // Upper-cases a random half of the letters, so that only lower-casing makes the email canonical again.
    private static string Shout(string email, ref DemoRandom random)
    {
        var chars = email.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (random.Next(2) == 0)
            {
                chars[i] = char.ToUpperInvariant(chars[i]);
            }
        }

        // At least the first letter, so that the anomaly is never a no-op.
        chars[0] = char.ToUpperInvariant(chars[0]);
        return new string(chars);
    }
}
