namespace Lakehouse.Pipeline.Configuration;

/// <summary>
/// The pipeline file (or a <c>--set</c> override) is wrong: the message names the file, the line and the field, and
/// says what to do. Jobs exit with code 2 on it.
/// </summary>
public sealed class PipelineConfigException : Exception
{
    /// <summary>Creates the error; the message is prefixed with where the problem is.</summary>
    /// <param name="file">The pipeline file (or <c>--set key</c> for an override); null when not known.</param>
    /// <param name="line">The 1-based line in the file; null when not known.</param>
    /// <param name="field">The field's path, e.g. <c>sources[0].format</c>.</param>
    /// <param name="problem">What is wrong and what to do.</param>
    public PipelineConfigException(string? file, int? line, string field, string problem)
        : base(Format(file, line, field, problem))
    {
        File = file;
        Line = line;
        Field = field;
        Problem = problem;
    }

    /// <summary>The pipeline file, or <c>--set key</c> when an override is wrong; null when not known.</summary>
    public string? File { get; }

    /// <summary>The 1-based line of the bad value; null when not known.</summary>
    public int? Line { get; }

    /// <summary>The field's path, e.g. <c>sources[0].format</c>.</summary>
    public string Field { get; }

    /// <summary>What is wrong and what to do, without the location.</summary>
    public string Problem { get; }

    private static string Format(string? file, int? line, string field, string problem)
    {
        var where = (file, line) switch
        {
            (null, null) => "",
            (_, null) => $"{file}: ",
            (null, _) => $"line {line}: ",
            _ => $"{file}, line {line}: ",
        };
        return $"{where}{field}: {problem}";
    }
}
