namespace Lakehouse.Pipeline.Hosting;

/// <summary>The data interval a run covers (Airflow's <c>data_interval_start</c>/<c>data_interval_end</c>).</summary>
/// <param name="Start">The interval's start (inclusive).</param>
/// <param name="End">The interval's end (exclusive); idempotent writes derive their version from it.</param>
public sealed record DataInterval(DateTimeOffset Start, DateTimeOffset End);
