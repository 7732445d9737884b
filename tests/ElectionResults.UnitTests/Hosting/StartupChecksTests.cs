using ElectionResults.Api.Infrastructure.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;

namespace ElectionResults.UnitTests.Hosting;

public sealed class StartupChecksTests
{
    private const string Password = "s3cret-Pa55word";

    private static IConfiguration Settings(params (string Key, string? Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    private static IConfiguration Connection(string? value) => Settings(("ConnectionStrings:Elections", value));

    [Fact]
    public void A_complete_connection_string_is_parsed()
    {
        var parsed = StartupChecks.ConnectionString(Connection($"Host=db;Port=6543;Database=elections;Username=elections;Password={Password}"));
        Assert.Equal("db:6543", StartupChecks.Where(parsed));
        Assert.Equal(Password, parsed.Password);
    }

    [Fact]
    public void The_default_port_is_named_when_the_string_gives_none() =>
        Assert.Equal("db:5432", StartupChecks.Where(StartupChecks.ConnectionString(Connection("Host=db;Database=elections"))));

    [Theory]
    [InlineData(null, "is not set")]
    [InlineData("  ", "is not set")]
    [InlineData("Hots=db;Password=" + Password, "is not a valid Npgsql connection string")]
    [InlineData("Host=db;Port=five;Password=" + Password, "is not a valid Npgsql connection string")]
    [InlineData("Database=elections;Password=" + Password, "names no Host")]
    public void A_missing_or_malformed_connection_string_is_refused_without_the_password(string? value, string expected)
    {
        var ex = Assert.Throws<StartupException>(() => StartupChecks.ConnectionString(Connection(value)));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Production", "fifteen-chars-x", false)]
    [InlineData("Production", "sixteen-chars-xy", true)]
    [InlineData("Staging", "short", false)]
    [InlineData("Development", "short", true)]
    [InlineData("Production", null, true)]
    public void A_short_admin_key_is_refused_outside_development(string environment, string? key, bool accepted)
    {
        var settings = Settings(("Auth:AdminKey", key));
        var host = new HostingEnvironment { EnvironmentName = environment };
        var ex = Record.Exception(() => StartupChecks.AdminKey(settings, host));
        if (accepted)
        {
            Assert.Null(ex);
        }
        else
        {
            var refused = Assert.IsType<StartupException>(ex);
            Assert.Contains($"Auth__AdminKey is {key!.Length} characters long", refused.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(key, refused.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>A clock that moves on by a fixed step each time it is read (the waits themselves stay short and real).</summary>
    private sealed class SteppingClock(TimeSpan step) : TimeProvider
    {
        private DateTimeOffset _now = new(2017, 6, 8, 22, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now += step;
    }

    [Fact]
    public async Task The_wait_for_an_unreachable_database_ends_by_the_registered_clock()
    {
        // Nothing listens on port 1: every attempt is refused at once. The clock says 20 s pass between readings, so the
        // 60 s allowed are up after three attempts (a quarter and half a second of real waiting), not after a minute.
        var target = StartupChecks.ConnectionString(Connection($"Host=127.0.0.1;Port=1;Database=elections;Username=elections;Password={Password};Timeout=2"));
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(target);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();

        var refused = await Assert.ThrowsAsync<StartupException>(() => StartupChecks.WaitForDatabaseAsync(
            dataSource, target, Settings(("Database:StartupTimeoutSeconds", "60")), new SteppingClock(TimeSpan.FromSeconds(20)),
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, TestContext.Current.CancellationToken));

        Assert.Contains("after 60 s and 3 attempts", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, refused.Message, StringComparison.Ordinal);
        Assert.True(System.Diagnostics.Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(30));
    }
}
