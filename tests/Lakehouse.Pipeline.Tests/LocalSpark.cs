using Lakehouse.Embedded;
using Lakehouse.Spark;

namespace Lakehouse.Pipeline.Tests;

/// <summary>
/// Sessions on the embedded engine, as the jobs' <c>local</c> remote gets them. The engine's warehouse is fixed for the
/// process by the first session, so tests never rely on its path: each works in databases of its own
/// (<see cref="TestDatabase"/>).
/// </summary>
internal static class LocalSpark
{
    private static readonly Lazy<bool> Registered = new(() =>
    {
        EmbeddedEngine.RegisterLocal(new EmbeddedOptions { Warehouse = Path.Combine(Path.GetTempPath(), "lakehouse-pipeline-tests-warehouse") });
        return true;
    });

    public static async Task<SparkSession> SessionAsync()
    {
        _ = Registered.Value;
        return await SparkSession.Builder().Remote("local").CreateAsync();
    }
}
