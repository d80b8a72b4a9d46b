using Lakehouse.Embedded;
using Lakehouse.Pipeline.Hosting;

// lakehouse-bronze: docs/pipeline-jobs.md gives its options and exit codes.
return JobHost.Main(JobKind.Bronze, args, warehouse => EmbeddedEngine.RegisterLocal(new EmbeddedOptions { Warehouse = warehouse }));
