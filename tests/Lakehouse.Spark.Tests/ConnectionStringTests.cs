using Lakehouse.Spark.Connect;

namespace Lakehouse.Spark.Tests;

// Grammar and defaults: sql/connect/docs/client-connection-string.md (brief §2).
public sealed class ConnectionStringTests
{
    [Fact]
    public void Parse_HostOnly_UsesDefaultPortAndPlaintext()
    {
        var c = SparkConnectionString.Parse("sc://spark-master");

        Assert.Equal("spark-master", c.Host);
        Assert.Equal(15002, c.Port);
        Assert.False(c.UseSsl);
        Assert.Null(c.Token);
        Assert.Equal(128 * 1024 * 1024, c.MaxMessageSize);
        Assert.Equal(new Uri("http://spark-master:15002/"), c.Address);
    }

    [Fact]
    public void Parse_AllParameters_AreRead()
    {
        var c = SparkConnectionString.Parse(
            "sc://h.example:443/;token=abc%2Fdef;user_id=alice;session_id=3f1c2a9e-0b7d-4e55-9a3e-2f6c1d8b7a10;user_agent=jobs;grpc_max_message_size=1024;x-cluster-id=c1");

        Assert.Equal("h.example", c.Host);
        Assert.Equal(443, c.Port);
        Assert.Equal("abc/def", c.Token);
        Assert.True(c.UseSsl); // spec: a token enables SSL
        Assert.Equal("alice", c.UserId);
        Assert.Equal(Guid.Parse("3f1c2a9e-0b7d-4e55-9a3e-2f6c1d8b7a10"), c.SessionId);
        Assert.Equal("jobs", c.UserAgent);
        Assert.Equal(1024, c.MaxMessageSize);
        Assert.Equal("c1", c.Headers["x-cluster-id"]);
        Assert.Single(c.Headers);
        Assert.Equal(new Uri("https://h.example:443/"), c.Address);
    }

    [Fact]
    public void Parse_TokenWithExplicitUseSslFalse_StaysPlaintext()
    {
        var c = SparkConnectionString.Parse("sc://localhost:15002/;token=t;use_ssl=false");

        Assert.Equal("t", c.Token);
        Assert.False(c.UseSsl);
    }

    [Fact]
    public void Parse_IPv6Host_StripsBrackets()
    {
        var c = SparkConnectionString.Parse("sc://[::1]:15003");

        Assert.Equal("::1", c.Host);
        Assert.Equal(15003, c.Port);
    }

    [Fact]
    public void Parse_NoSessionId_GeneratesDistinctUuids()
    {
        Assert.NotEqual(SparkConnectionString.Parse("sc://h").SessionId, SparkConnectionString.Parse("sc://h").SessionId);
    }

    [Theory]
    [InlineData("local")]
    [InlineData("local[*]")]
    [InlineData("local[4]")]
    public void Parse_Local_IsLocal(string value)
    {
        Assert.True(SparkConnectionString.Parse(value).IsLocal);
    }

    [Theory]
    [InlineData("http://host:15002", "must start with 'sc://'")]
    [InlineData("sc://", "host is missing")]
    [InlineData("sc://:15002", "is not a host name")]
    [InlineData("sc://host:port", "port 'port'")]
    [InlineData("sc://host:70000", "port '70000'")]
    [InlineData("sc://host:0", "port '0'")]
    [InlineData("sc://host:15002/path", "path '/path' is not allowed")]
    [InlineData("sc://host:15002/prefix/;token=a", "path '/prefix/;token=a' is not allowed")]
    [InlineData("sc://host/;token", "'token' is not of the form key=value")]
    [InlineData("sc://host/;=v", "'=v' is not of the form key=value")]
    [InlineData("sc://host/;use_ssl=yes", "use_ssl must be 'true' or 'false'")]
    [InlineData("sc://host/;session_id=abc", "session_id 'abc' is not a UUID")]
    [InlineData("sc://host/;grpc_max_message_size=-5", "grpc_max_message_size '-5'")]
    [InlineData("sc://host/;user_id=a;user_id=b", "'user_id' is given twice")]
    [InlineData("sc://[::1:15002", "closing ']'")]
    [InlineData("local[2", "must start with 'sc://'")]
    public void Parse_Malformed_ThrowsArgumentExceptionNamingTheProblem(string value, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => SparkConnectionString.Parse(value));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains("Invalid Spark Connect connection string", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MalformedWithToken_DoesNotEchoTheToken()
    {
        var e = Assert.Throws<ArgumentException>(() => SparkConnectionString.Parse("sc://host/;token=s3cret;use_ssl=maybe"));

        Assert.DoesNotContain("s3cret", e.Message, StringComparison.Ordinal);
    }
}
