using Lakehouse.Spark.Protos;

namespace Lakehouse.Spark;

/// <summary>Spark's join type names (<c>JoinType.scala</c>, case- and underscore-insensitive) → protobuf.</summary>
internal static class JoinTypes
{
    internal static Join.Types.JoinType Parse(string how) => how.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant() switch
    {
        "inner" => Join.Types.JoinType.Inner,
        "outer" or "full" or "fullouter" => Join.Types.JoinType.FullOuter,
        "left" or "leftouter" => Join.Types.JoinType.LeftOuter,
        "right" or "rightouter" => Join.Types.JoinType.RightOuter,
        "semi" or "leftsemi" => Join.Types.JoinType.LeftSemi,
        "anti" or "leftanti" => Join.Types.JoinType.LeftAnti,
        "cross" => Join.Types.JoinType.Cross,
        _ => throw new ArgumentException(
            $"Unknown join type '{how}'. Use inner, left, right, full, semi, anti or cross.", nameof(how)),
    };
}
