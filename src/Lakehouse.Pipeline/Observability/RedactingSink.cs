using Serilog.Core;
using Serilog.Events;
using Serilog.Parsing;

namespace Lakehouse.Pipeline.Observability;

/// <summary>
/// Passes every event on with its secrets masked: property values (nested ones too), the message template text
/// (an interpolated string puts values there) and the exception. An enricher could only replace properties, so
/// the redaction decorates the sink instead and nothing reaches the output unmasked.
/// </summary>
internal sealed class RedactingSink(ILogEventSink inner, SecretRedactor redactor) : ILogEventSink, IDisposable
{
    private static readonly MessageTemplateParser Parser = new();

    public void Emit(LogEvent logEvent)
    {
        var text = redactor.Redact(logEvent.MessageTemplate.Text);
        var template = text == logEvent.MessageTemplate.Text ? logEvent.MessageTemplate : Parser.Parse(text);
        var properties = logEvent.Properties.Select(p => new LogEventProperty(p.Key, Redact(p.Value)));
        var exception = logEvent.Exception is null ? null : new RedactedException(logEvent.Exception, redactor);
        inner.Emit(new LogEvent(logEvent.Timestamp, logEvent.Level, exception, template, properties,
            logEvent.TraceId ?? default, logEvent.SpanId ?? default));
    }

    public void Dispose() => (inner as IDisposable)?.Dispose();

    private LogEventPropertyValue Redact(LogEventPropertyValue value) => value switch
    {
        ScalarValue { Value: string s } => new ScalarValue(redactor.Redact(s)),
        ScalarValue { Value: Uri uri } => new ScalarValue(redactor.Redact(uri.ToString())),
        SequenceValue sequence => new SequenceValue(sequence.Elements.Select(Redact)),
        StructureValue structure => new StructureValue(
            structure.Properties.Select(p => new LogEventProperty(p.Name, Redact(p.Value))), structure.TypeTag),
        DictionaryValue dictionary => new DictionaryValue(
            dictionary.Elements.Select(e => KeyValuePair.Create((ScalarValue)Redact(e.Key), Redact(e.Value)))),
        _ => value,
    };
}
