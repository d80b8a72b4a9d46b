using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Lakehouse.Pipeline.Demo;

/// <summary>How demo records look in the landing files: JSON lines and RFC 4180 CSV, timestamps in UTC.</summary>
internal static class DemoFormat
{
    /// <summary>
    /// <c>yyyy-MM-dd HH:mm:ss</c> in UTC: what Spark's and DuckDB's string-to-timestamp casts both read, so the
    /// pipeline's <c>cast: timestamp</c> means the same instant on either engine.
    /// </summary>
    public const string TimestampFormat = "yyyy-MM-dd HH:mm:ss";

    public const string CustomerHeader = "customer_id,name,email,country,region,segment,signup_date,updated_at";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    /// <summary>An order as one JSON line; <paramref name="wrongQuantity"/> writes the quantity as the string <c>"abc"</c>.</summary>
    public static string Order(DemoOrder order, bool wrongQuantity = false)
    {
        return Json(w =>
        {
            w.WriteString("order_id", order.OrderId);
            WriteNullable(w, "customer_id", order.CustomerId);
            w.WriteString("product_id", order.ProductId);
            if (wrongQuantity)
            {
                w.WriteString("quantity", "abc");
            }
            else
            {
                w.WriteNumber("quantity", order.Quantity);
            }

            w.WriteNumber("amount", order.Amount);
            WriteNullable(w, "status", order.Status);
            w.WriteString("order_ts", Timestamp(order.OrderTs));
            w.WriteString("updated_at", Timestamp(order.UpdatedAt));
            w.WriteBoolean("is_deleted", order.IsDeleted);
        });
    }

    /// <summary>The first half of a line: what a writer that crashed mid-record leaves behind.</summary>
    public static string Truncate(string line) => line[..(line.Length / 2)];

    public static string Product(DemoProduct product) => Json(w =>
    {
        w.WriteString("product_id", product.ProductId);
        w.WriteString("name", product.Name);
        w.WriteString("category", product.Category);
        w.WriteNumber("price", product.Price);
        w.WriteString("updated_at", Timestamp(product.UpdatedAt));
    });

    /// <summary>A customer as one CSV row; a null email is an empty, unquoted field (CSV readers' null).</summary>
    public static string Customer(DemoCustomer customer) => string.Join(',',
        Csv(customer.CustomerId),
        Csv(customer.Name),
        customer.Email is null ? "" : Csv(customer.Email),
        Csv(customer.Country),
        Csv(customer.Region),
        Csv(customer.Segment),
        customer.SignupDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        Timestamp(customer.UpdatedAt));

    // RFC 4180: quote a field holding a separator, a quote or a line break; also quote surrounding spaces, so
    // that no reader's whitespace option changes the value.
    private static string Csv(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || value.StartsWith(' ') || value.EndsWith(' ')
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    // One buffer and writer per thread, reset per record: the demo writes millions of lines.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? _writer;

    private static string Json(Action<Utf8JsonWriter> body)
    {
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        var writer = _writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        writer.Reset(buffer);
        writer.WriteStartObject();
        body(writer);
        writer.WriteEndObject();
        writer.Flush();
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
