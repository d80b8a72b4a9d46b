using Lakehouse.Embedded;
using Lakehouse.Pipeline.Hosting;

// lakehouse-silver: docs/pipeline-jobs.md gives its options and exit codes.
return JobHost.Main(JobKind.Silver, args, warehouse => EmbeddedEngine.RegisterLocal(new EmbeddedOptions { Warehouse = warehouse }));
