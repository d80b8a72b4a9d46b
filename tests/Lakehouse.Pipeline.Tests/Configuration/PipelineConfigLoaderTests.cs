using Lakehouse.Pipeline.Configuration;

namespace Lakehouse.Pipeline.Tests.Configuration;

public sealed class PipelineConfigLoaderTests : IDisposable
{
    private const string Valid = """
        name: demo
        warehouse: ./lakehouse-data
        landing: ./landing
        schedule: "0 */4 * * *"
        sources:
          - name: orders
            format: json
            path: orders
            business_key: [order_id]
            sequence: updated_at
            delete_flag: is_deleted
            clean:
              trim: [customer_id]
              cast: { amount: "decimal(12,2)", updated_at: timestamp }
              defaults: { status: unknown }
            expectations:
              - { name: amount_not_negative, condition: "amount >= 0", action: quarantine }
          - name: posts
            format: http
            path: api/posts
            http:
              url: https://example.test/posts
              paging: { size: 10 }
              headers: { Authorization: "Bearer ${env:LH_TEST_TOKEN}" }
            business_key: [id]
        checks:
          silver.orders:
            - { name: order_id_not_null, type: not_null, columns: [order_id], severity: critical }
            - { name: amount_range, type: range, column: amount, min: 0, severity: warning }
        gold:
          - { name: daily_revenue, inputs: [silver.orders] }
        """;

    private readonly TempDirectory _dir = new("config");

    public void Dispose() => _dir.Dispose();

    private PipelineConfig Parse(string yaml, params string[] overrides) =>
        PipelineConfigLoader.Parse(yaml, _dir.Path, overrides, "lakehouse.yaml", name => name == "LH_TEST_TOKEN" ? "s3cret" : null);

    private PipelineConfigException ParseFails(string yaml, params string[] overrides) =>
        Assert.Throws<PipelineConfigException>(() => Parse(yaml, overrides));

    [Fact]
    public void Parse_ValidFile_ResolvesPathsPlaceholdersAndDefaults()
    {
        var config = Parse(Valid);

        Assert.Equal("demo", config.Name);
        Assert.Equal(Path.Combine(_dir.Path, "lakehouse-data"), config.Warehouse);
        Assert.Equal(Path.Combine(_dir.Path, "landing", "orders"), config.Source("orders").Path);
        Assert.Equal(SourceFormat.Json, config.Sources[0].Format);
        Assert.Equal(["order_id"], config.Sources[0].BusinessKey);
        Assert.Equal("decimal(12,2)", config.Sources[0].Clean.Cast["amount"]);
        Assert.Equal(ExpectationAction.Quarantine, config.Sources[0].Expectations[0].Action);
        Assert.Equal("Bearer s3cret", config.Source("posts").Http!.Headers["Authorization"]);
        Assert.Equal(10, config.Source("posts").Http!.Paging!.Size);
        Assert.Equal("_page", config.Source("posts").Http!.Paging!.PageParam);
        Assert.Equal(CheckSeverity.Warning, config.Checks["silver.orders"][1].Severity);
        Assert.Equal(0, config.Checks["silver.orders"][1].Min);
        Assert.Equal("gold.daily_revenue", config.Gold[0].Table);
    }

    [Fact]
    public void Parse_SetOverrides_ReplaceValuesByDottedPathAndSourceName()
    {
        var config = Parse(
            Valid, "warehouse=/data/lh", "sources.orders.path=other", "sources.posts.http.retries=2",
            "checks.silver.orders.0.severity=warning", "sources.orders.business_key=[order_id, line]");

        Assert.Equal("/data/lh", config.Warehouse);
        Assert.Equal(Path.Combine(_dir.Path, "landing", "other"), config.Source("orders").Path);
        Assert.Equal(2, config.Source("posts").Http!.Retries);
        Assert.Equal(CheckSeverity.Warning, config.Checks["silver.orders"][0].Severity);
        Assert.Equal(["order_id", "line"], config.Source("orders").BusinessKey);
    }

    [Fact]
    public void Parse_RelativeOverridePath_ResolvesAgainstCurrentDirectory()
    {
        var config = Parse(Valid, "landing=rel-landing");

        Assert.Equal(Path.GetFullPath("rel-landing"), config.Landing);
    }

    [Fact]
    public void Parse_UnknownSourceInOverride_NamesTheOverride()
    {
        var error = ParseFails(Valid, "sources.nope.path=x");

        Assert.Equal("--set sources.nope.path", error.File);
        Assert.Contains("no item named 'nope'", error.Message);
    }

    [Fact]
    public void Parse_OverrideWithoutEquals_SaysTheExpectedForm()
    {
        var error = ParseFails(Valid, "warehouse");

        Assert.Contains("expected key=value", error.Message);
    }

    [Fact]
    public void Parse_BadValueFromOverride_IsLocatedAtTheOverride()
    {
        var error = ParseFails(Valid, "sources.orders.format=xml");

        Assert.Equal("--set sources.orders.format", error.File);
        Assert.Equal("sources.orders.format", error.Field);
        Assert.Null(error.Line);
    }

    [Fact]
    public void Parse_UnsetEnvironmentVariable_NamesTheVariable()
    {
        var error = ParseFails(Valid.Replace("LH_TEST_TOKEN", "LH_MISSING_TOKEN", StringComparison.Ordinal));

        Assert.Contains("LH_MISSING_TOKEN is not set", error.Message);
        Assert.Equal("sources.posts.http.headers.Authorization", error.Field);
        Assert.Equal(24, error.Line);
    }

    [Fact]
    public void Parse_UnknownFormat_NamesLineFieldAndChoices()
    {
        var error = ParseFails(Valid.Replace("format: json", "format: jsn", StringComparison.Ordinal));

        Assert.Equal("lakehouse.yaml", error.File);
        Assert.Equal(7, error.Line);
        Assert.Equal("sources.orders.format", error.Field);
        Assert.Contains("json, csv, parquet, http", error.Message);
        Assert.StartsWith("lakehouse.yaml, line 7: sources.orders.format:", error.Message);
    }

    [Fact]
    public void Parse_MisspeltKey_IsRejectedWithTheKnownKeys()
    {
        var error = ParseFails(Valid.Replace("sequence: updated_at", "sequnce: updated_at", StringComparison.Ordinal));

        Assert.Equal("sources.orders.sequnce", error.Field);
        Assert.Equal(10, error.Line);
        Assert.Contains("sequence", error.Message);
    }

    [Fact]
    public void Parse_MissingBusinessKey_SaysWhatToWrite()
    {
        var error = ParseFails(Valid.Replace("    business_key: [order_id]\n", "", StringComparison.Ordinal));

        Assert.Equal("sources.orders.business_key", error.Field);
        Assert.Contains("business_key: [order_id]", error.Message);
    }

    [Fact]
    public void Parse_DuplicateSourceName_IsRejected()
    {
        var error = ParseFails(Valid.Replace("name: posts", "name: orders", StringComparison.Ordinal));

        Assert.Contains("used twice", error.Message);
    }

    [Fact]
    public void Parse_HttpSourceWithoutHttpSection_IsRejected()
    {
        var error = ParseFails(Valid.Replace("format: json", "format: http", StringComparison.Ordinal));

        Assert.Equal("sources.orders.http", error.Field);
    }

    [Fact]
    public void Parse_UnknownCastType_IsRejected()
    {
        var error = ParseFails(Valid.Replace("updated_at: timestamp", "updated_at: datetime", StringComparison.Ordinal));

        Assert.Equal("sources.orders.clean.cast.updated_at", error.Field);
        Assert.Equal(14, error.Line);
    }

    [Fact]
    public void Parse_UnknownExpectationAction_IsRejected()
    {
        var error = ParseFails(Valid.Replace("action: quarantine", "action: ignore", StringComparison.Ordinal));

        Assert.Equal("sources.orders.expectations[0].action", error.Field);
        Assert.Contains("warn, drop, quarantine, fail", error.Message);
    }

    [Fact]
    public void Parse_CheckMissingRequiredField_NamesIt()
    {
        var error = ParseFails(Valid.Replace("columns: [order_id], ", "", StringComparison.Ordinal));

        Assert.Equal("checks.silver.orders[0].columns", error.Field);
    }

    [Fact]
    public void Parse_CheckOnUnknownTable_IsRejected()
    {
        var error = ParseFails(Valid.Replace("  silver.orders:", "  silver.ordrs:", StringComparison.Ordinal));

        Assert.Equal("checks.silver.ordrs", error.Field);
    }

    [Fact]
    public void Parse_GoldInputNotProduced_IsRejected()
    {
        var error = ParseFails(Valid.Replace("inputs: [silver.orders]", "inputs: [silver.customers]", StringComparison.Ordinal));

        Assert.Equal("gold.daily_revenue.inputs", error.Field);
    }

    [Fact]
    public void Parse_BadCheckType_IsRejected()
    {
        var error = ParseFails(Valid.Replace("type: not_null", "type: notnull", StringComparison.Ordinal));

        Assert.Equal("checks.silver.orders[0].type", error.Field);
    }

    [Fact]
    public void Parse_InvalidHttpUrl_IsRejected()
    {
        var error = ParseFails(Valid.Replace("https://example.test/posts", "ftp://example.test/posts", StringComparison.Ordinal));

        Assert.Equal("sources.posts.http.url", error.Field);
    }

    [Fact]
    public void Parse_YamlSyntaxError_NamesTheLine()
    {
        var error = ParseFails("name: demo\nsources: [\n");

        Assert.Equal("(syntax)", error.Field);
        Assert.NotNull(error.Line);
    }

    [Fact]
    public void Parse_MissingWarehouse_IsRequired()
    {
        var error = ParseFails(Valid.Replace("warehouse: ./lakehouse-data\n", "", StringComparison.Ordinal));

        Assert.Equal("warehouse", error.Field);
    }

    [Fact]
    public void Load_MissingFile_SaysHowToPassOne()
    {
        var error = Assert.Throws<PipelineConfigException>(() => PipelineConfigLoader.Load(_dir.Combine("none.yaml")));

        Assert.Contains("--config", error.Message);
    }

    [Fact]
    public void Load_File_RecordsItsPath()
    {
        var path = _dir.Combine("lakehouse.yaml");
        File.WriteAllText(path, Valid.Replace("${env:LH_TEST_TOKEN}", "x", StringComparison.Ordinal));

        var config = PipelineConfigLoader.Load(path);

        Assert.Equal(path, config.SourceFile);
        Assert.Equal(_dir.Combine("landing"), config.Landing);
    }
}
