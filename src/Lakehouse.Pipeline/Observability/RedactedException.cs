namespace Lakehouse.Pipeline.Observability;

/// <summary>Stands in for a logged exception: its type, message and stack trace as text, secrets masked.</summary>
internal sealed class RedactedException(Exception original, SecretRedactor redactor)
    : Exception(redactor.Redact(original.Message))
{
    private readonly string text = redactor.Redact(original.ToString());

    public override string? StackTrace => original.StackTrace;

    public override string ToString() => text;
}
