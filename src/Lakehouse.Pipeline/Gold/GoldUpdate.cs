using Lakehouse.Pipeline.Hosting;
using Lakehouse.Spark;

namespace Lakehouse.Pipeline.Gold;

/// <summary>
/// What a model needs to bring its gold table from the build recorded at <see cref="GoldVersion"/> to
/// <see cref="Build"/> (<see cref="GoldIncremental"/>): the inputs at both versions, the changes of the inputs that
/// changed, the table as the recorded build left it, and the frames it persisted (released on dispose).
/// </summary>
internal sealed class GoldUpdate(
    JobContext ctx, GoldBuild from, long goldVersion, GoldBuild build, Func<string, long, DataFrame> read, string path,
    IReadOnlyDictionary<string, GoldInputChange> changes, DateTimeOffset now) : IAsyncDisposable
{
    private readonly List<DataFrame> _persisted = [];

    public JobContext Ctx => ctx;

    /// <summary>The build the gold table holds.</summary>
    public GoldBuild From => from;

    /// <summary>The gold table's version that records <see cref="From"/>.</summary>
    public long GoldVersion => goldVersion;

    /// <summary>The build to bring it to.</summary>
    public GoldBuild Build => build;

    /// <summary>The model's clock.</summary>
    public DateTimeOffset Now => now;

    /// <summary>Per input that changed since <see cref="From"/>, how it changed (only silver-job batches).</summary>
    public IReadOnlyDictionary<string, GoldInputChange> Changes => changes;

    /// <summary>The input as the model reads it (SCD2 tables as their current rows), at the version of <see cref="Build"/>.</summary>
    public DataFrame Current(string input) => read(input, build.Inputs[input]);

    /// <summary>The input as the model read it for <see cref="From"/>.</summary>
    public DataFrame Previous(string input) => read(input, from.Inputs[input]);

    /// <summary>The gold table as <see cref="From"/> left it.</summary>
    public DataFrame Gold => DeltaTables.ReadAt(ctx.Spark, path, goldVersion);

    /// <summary>Persists <paramref name="frame"/> until this update is disposed.</summary>
    public async Task<DataFrame> PersistAsync(DataFrame frame, CancellationToken ct)
    {
        var persisted = await frame.PersistAsync(ct).ConfigureAwait(false);
        _persisted.Add(persisted);
        return persisted;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var frame in _persisted)
        {
            await frame.UnpersistAsync().ConfigureAwait(false);
        }
    }
}
