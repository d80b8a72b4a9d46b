using System.Collections.Concurrent;
using Apache.Arrow;
using Grpc.Core;
using Lakehouse.Spark.Protos;

namespace Lakehouse.Spark.Tests;

/// <summary>What the loopback test server answers and which faults it injects; also records what it received.</summary>
internal sealed class LoopbackBehaviour
{
    /// <summary>The canned query result (every ExecutePlan with a root relation returns these batches).</summary>
    public IReadOnlyList<RecordBatch> Batches { get; init; } = [];

    /// <summary>When set, requests must carry <c>authorization: Bearer &lt;token&gt;</c>.</summary>
    public string? RequiredToken { get; init; }

    /// <summary>The first ExecutePlan stream stops after this many responses (-1: never).</summary>
    public int CutAfterResponses { get; init; } = -1;

    /// <summary>Cut by failing with UNAVAILABLE rather than by ending the stream.</summary>
    public bool CutWithUnavailable { get; init; }

    /// <summary>This many calls (of any RPC) fail with UNAVAILABLE before the server answers.</summary>
    public int UnavailableCalls;

    /// <summary>ExecutePlan fails with this instead of answering.</summary>
    public RpcException? ExecuteError { get; init; }

    /// <summary>FetchErrorDetails answers by error id.</summary>
    public Dictionary<string, FetchErrorDetailsResponse> ErrorDetails { get; } = [];

    /// <summary>ExecutePlan sends one response, then waits for the call to be cancelled.</summary>
    public bool HangAfterFirstResponse { get; init; }

    public string SparkVersion { get; init; } = "4.0.0";

    /// <summary>Answer a SqlCommand with <see cref="Batches"/> as a LocalRelation, as Spark does for commands (brief §6a).</summary>
    public bool SqlCommandsReturnBatches { get; init; }

    /// <summary>Attached as <c>sql_command_result</c> to every Command.extension answer (the embedded engine's vacuum does).</summary>
    public Relation? ExtensionCommandResult { get; init; }

    /// <summary>Refuse Relation/Command extensions as a Spark 4 server without the Delta Connect plugin does.</summary>
    public bool RejectExtensions { get; init; }

    public string ServerSideSessionId { get; } = Guid.NewGuid().ToString();

    public ConcurrentDictionary<string, string> Conf { get; } = new();

    public ConcurrentQueue<ExecutePlanRequest> Executes { get; } = new();

    public ConcurrentQueue<ReattachExecuteRequest> Reattaches { get; } = new();

    public ConcurrentQueue<ReleaseExecuteRequest> Releases { get; } = new();

    public ConcurrentQueue<string> Calls { get; } = new();

    public ConcurrentQueue<AnalyzePlanRequest> Analyzes { get; } = new();

    public ConcurrentQueue<ConfigRequest> Configs { get; } = new();

    public ConcurrentQueue<string?> AuthorizationHeaders { get; } = new();

    /// <summary>Completed when a ReleaseExecute{release_all} arrives.</summary>
    public TaskCompletionSource<string> ReleasedAll { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completed with the operation id of the first Interrupt.</summary>
    public TaskCompletionSource<string> Interrupted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Every response the server produced per operation, for replay on ReattachExecute.</summary>
    public ConcurrentDictionary<string, List<ExecutePlanResponse>> Operations { get; } = new();
}
