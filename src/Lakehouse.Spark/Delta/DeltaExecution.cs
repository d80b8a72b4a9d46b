using Lakehouse.Spark.Protos;

namespace Lakehouse.Spark.Delta;

/// <summary>
/// Runs Delta operations exactly once. Delta Connect executes DML, optimize and restore relations while
/// planning them (brief §6b), so these relations go out in a single ExecutePlan and are never analyzed;
/// their result rows are kept client-side, and a DataFrame over them is a LocalRelation, which the server
/// can plan any number of times without touching the table (PySpark: <c>createDataFrame(df.toPandas())</c>).
/// </summary>
internal static class DeltaExecution
{
    /// <summary>Executes a relation once and keeps its result.</summary>
    internal static async Task<DeltaResult> RelationAsync(SparkSession session, Relation relation, CancellationToken cancellationToken)
    {
        var result = new DeltaResult();
        await foreach (var response in session.Client.ExecuteAsync(new Plan { Root = relation }, cancellationToken).ConfigureAwait(false))
        {
            if (response.ResponseTypeCase == ExecutePlanResponse.ResponseTypeOneofCase.ArrowBatch)
            {
                await result.AddAsync(response.ArrowBatch.Data.ToByteArray(), cancellationToken).ConfigureAwait(false);
            }
        }

        return result;
    }

    /// <summary>
    /// Executes a SQL statement once. Spark runs commands eagerly and answers with their rows as a
    /// LocalRelation in <c>sql_command_result</c> (brief §6a), which is decoded here without another call.
    /// </summary>
    internal static async Task<DeltaResult> SqlAsync(SparkSession session, string sql, CancellationToken cancellationToken)
    {
        Relation? returned = null;
        await foreach (var response in session.Client.ExecuteAsync(SparkSession.SqlPlan(sql), cancellationToken).ConfigureAwait(false))
        {
            if (response.ResponseTypeCase == ExecutePlanResponse.ResponseTypeOneofCase.SqlCommandResult)
            {
                returned = response.SqlCommandResult.Relation;
            }
        }

        if (returned is { RelTypeCase: Relation.RelTypeOneofCase.LocalRelation, LocalRelation.HasData: true })
        {
            var result = new DeltaResult();
            await result.AddAsync(returned.LocalRelation.Data.ToByteArray(), cancellationToken).ConfigureAwait(false);
            return result;
        }

        // A relation that is not the command's own rows (a query, a cached result) reads them; a SQL relation
        // would run the statement again, so it is not followed.
        if (returned is not null && returned.RelTypeCase is not (Relation.RelTypeOneofCase.Sql or Relation.RelTypeOneofCase.None or Relation.RelTypeOneofCase.LocalRelation))
        {
            return await RelationAsync(session, returned, cancellationToken).ConfigureAwait(false);
        }

        return new DeltaResult();
    }

    /// <summary>Executes a command (no result rows).</summary>
    internal static Task CommandAsync(SparkSession session, Command command, CancellationToken cancellationToken) =>
        DataFrame.ExecuteCommandAsync(session, command, cancellationToken);
}
