namespace Lakehouse.Embedded;

/// <summary>Factories for the errors the engine raises, so classes and SQLSTATEs are spelled once.</summary>
internal static class Errors
{
    public static EmbeddedException UnsupportedPlan(string node) => new(
        "LAKEHOUSE_EMBEDDED_UNSUPPORTED_PLAN", "0A000",
        $"The plan node '{node}' is not supported by the embedded engine. Run this job on Apache Spark (--remote sc://host:15002) or rewrite it with supported operations (docs/embedded-engine.md).",
        new Dictionary<string, string> { ["node"] = node });

    public static EmbeddedException UnsupportedFunction(string name) => new(
        "LAKEHOUSE_EMBEDDED_UNSUPPORTED_FUNCTION", "0A000",
        $"The function '{name}' is not supported by the embedded engine. Run this job on Apache Spark (--remote sc://host:15002) or use a supported function (docs/embedded-engine.md).",
        new Dictionary<string, string> { ["functionName"] = name });

    public static EmbeddedException Unsupported(string feature, string detail) => new(
        "LAKEHOUSE_EMBEDDED_UNSUPPORTED_FEATURE", "0A000",
        $"{detail} is not supported by the embedded engine. Run this job on Apache Spark (--remote sc://host:15002).",
        new Dictionary<string, string> { ["feature"] = feature });

    public static EmbeddedException UnresolvedColumn(string name, IEnumerable<string> candidates)
    {
        var proposal = string.Join(", ", candidates.Select(c => $"`{c}`"));
        return new EmbeddedException(
            "UNRESOLVED_COLUMN.WITH_SUGGESTION", "42703",
            $"A column or function parameter with name `{name}` cannot be resolved. Did you mean one of the following? [{proposal}].",
            new Dictionary<string, string> { ["objectName"] = $"`{name}`", ["proposal"] = proposal });
    }

    public static EmbeddedException AmbiguousColumn(string name, IEnumerable<string> matches)
    {
        var referenceNames = "[" + string.Join(", ", matches.Select(m => $"`{m}`")) + "]";
        return new EmbeddedException(
            "AMBIGUOUS_REFERENCE", "42704",
            $"Reference `{name}` is ambiguous, could be: {referenceNames}. Qualify it with a DataFrame alias or use df[\"{name}\"].",
            new Dictionary<string, string> { ["name"] = $"`{name}`", ["referenceNames"] = referenceNames });
    }

    public static EmbeddedException TableNotFound(string name, string location) => new(
        "TABLE_OR_VIEW_NOT_FOUND", "42P01",
        $"The table or view `{name}` cannot be found (looked for a Delta table at '{location}'). Check the name and the warehouse directory, or write the table first.",
        new Dictionary<string, string> { ["relationName"] = $"`{name}`" });

    public static EmbeddedException PathNotFound(string path) => new(
        "PATH_NOT_FOUND", "42K03",
        $"Path does not exist: {path}. Check the path or create the data first.",
        new Dictionary<string, string> { ["path"] = path });

    public static EmbeddedException Parse(string sql, string detail) => new(
        "PARSE_SYNTAX_ERROR", "42601",
        $"Syntax error in '{sql}': {detail}. Fix the SQL text (the embedded engine accepts the dialect described in docs/embedded-engine.md).",
        new Dictionary<string, string> { ["error"] = detail, ["hint"] = "" });

    public static EmbeddedException InvalidArgument(string what, string detail) => new(
        "LAKEHOUSE_EMBEDDED_INVALID_ARGUMENT", "22023",
        $"{what}: {detail}",
        new Dictionary<string, string> { ["argument"] = what });
}
