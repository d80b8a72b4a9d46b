using System.Text.RegularExpressions;

namespace Lakehouse.Deploy.Tests;

/// <summary>
/// The Airflow DAG's own tests (airflow/tests, python3 unittest with a recording stand-in for Airflow), run from
/// here so that ./test.sh covers them, and the DAG file compiled as Airflow would.
/// </summary>
public sealed partial class AirflowDagTests : IDisposable
{
    private readonly TempDirectory _cache = new("pycache");

    public void Dispose() => _cache.Dispose();

    [Fact]
    public void PythonUnitTests_AllPass()
    {
        var result = Python(["-m", "unittest", "discover", "-s", "airflow/tests", "-v"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var ran = RanCount().Match(result.Stderr);
        Assert.True(ran.Success, result.ToString());
        Assert.True(int.Parse(ran.Groups[1].Value) > 0, result.ToString());
        Assert.DoesNotContain("skipped", result.Stderr);
    }

    [Fact]
    public void DagFile_PyCompile_Succeeds()
    {
        var result = Python(["-m", "py_compile", "airflow/dags/lakehouse_medallion.py"]);

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    /// <summary>python3 from the repository root, with bytecode kept out of the tree.</summary>
    private ProcessResult Python(string[] args) =>
        ProcessRun.Run("python3", args, new Dictionary<string, string?>
        {
            ["PYTHONDONTWRITEBYTECODE"] = "1",
            ["PYTHONPYCACHEPREFIX"] = _cache.Path,
            ["LAKEHOUSE_TEST_REAL_PLAN"] = null,
        });

    [GeneratedRegex(@"Ran (\d+) tests? in")]
    private static partial Regex RanCount();
}
