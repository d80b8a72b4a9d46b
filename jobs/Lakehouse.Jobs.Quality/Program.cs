using Lakehouse.Embedded;
using Lakehouse.Pipeline.Hosting;

// lakehouse-quality: docs/pipeline-jobs.md gives its options and exit codes.
return JobHost.Main(JobKind.Quality, args, warehouse => EmbeddedEngine.RegisterLocal(new EmbeddedOptions { Warehouse = warehouse }));
