namespace Lakehouse.Pipeline.Tests.Observability;

/// <summary>A test that needs the monitoring binaries: skipped without them, except in CI (CI=true), where it fails.</summary>
internal sealed class MonitoringFactAttribute : FactAttribute
{
    public MonitoringFactAttribute()
    {
        if (!MonitoringTools.Installed && !MonitoringTools.InCi)
        {
            Skip = MonitoringTools.MissingMessage + "; outside CI the test is skipped.";
        }
    }
}
