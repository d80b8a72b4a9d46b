using Lakehouse.Embedded;
using Lakehouse.Pipeline.Hosting;

// lakehouse-gold: docs/pipeline-jobs.md gives its options and exit codes.
return JobHost.Main(JobKind.Gold, args, warehouse => EmbeddedEngine.RegisterLocal(new EmbeddedOptions { Warehouse = warehouse }));
