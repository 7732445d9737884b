using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using ElectionResults.Api.Infrastructure.Database;
using ElectionResults.IntegrationTests.Infrastructure;
using Npgsql;

namespace ElectionResults.IntegrationTests.Deployment;

/// <summary>
/// The real binary against the password-protected server, as it is deployed: it runs as an ordinary role that owns
/// its database, migrates an empty one, and three instances started at once migrate it exactly once.
/// </summary>
public sealed partial class StartupTests(PostgresServer server)
{
    private const string AdminKey = "a-long-admin-key-for-the-binary";
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_binary_runs_as_an_ordinary_role_over_tcp_with_a_password_and_migrates_an_empty_database()
    {
        var database = await server.CreateEmptyDatabaseAsync();
        var connection = server.AppConnection(database);
        try
        {
            // The server asks for the password: without the right one the role cannot log in.
            var wrong = new NpgsqlConnectionStringBuilder(connection.ConnectionString) { Password = "not-the-password" };
            await using (var refused = new NpgsqlConnection(wrong.ConnectionString))
            {
                var ex = await Assert.ThrowsAsync<PostgresException>(() => refused.OpenAsync(Ct));
                Assert.Equal(PostgresErrorCodes.InvalidPassword, ex.SqlState);
            }

            await using var api = ApiProcess.Start(new Dictionary<string, string?>
            {
                ["ConnectionStrings__Elections"] = connection.ConnectionString,
                ["Auth__AdminKey"] = AdminKey,
            });
            var address = await api.WaitUntilReadyAsync(ReadyTimeout);
            using var client = new HttpClient { BaseAddress = address };
            using var keys = new HttpRequestMessage(HttpMethod.Get, "/v1/api-keys");
            keys.Headers.Add("X-Api-Key", AdminKey);
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(keys, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/elections", Ct)).StatusCode);

            await using var db = new NpgsqlConnection(connection.ConnectionString);
            await db.OpenAsync(Ct);
            // The API's sessions are the ordinary role's, over TCP (autovacuum workers, with no user, are not sessions);
            // that role may do nothing beyond its own database.
            var sessions = (await db.QueryAsync<(string User, bool Tcp)>(new CommandDefinition(
                "SELECT DISTINCT usename, client_addr IS NOT NULL FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'",
                cancellationToken: Ct))).ToList();
            Assert.Equal([(PostgresServer.AppRole, true)], sessions);
            var role = await db.QuerySingleAsync<(bool Super, bool CreateDb, bool CreateRole)>(new CommandDefinition(
                "SELECT rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = current_user", cancellationToken: Ct));
            Assert.Equal((false, false, false), role);
            // It owns the database and every table the migrations made; the public schema belongs to the database's
            // owner (pg_database_owner, PostgreSQL 15 and later) or to the role itself.
            var owners = (await db.QueryAsync<string>(new CommandDefinition("""
                SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()
                UNION SELECT tableowner FROM pg_tables WHERE schemaname = 'public'
                """, cancellationToken: Ct))).ToList();
            Assert.Equal([PostgresServer.AppRole], owners);
            var schemaOwner = await db.ExecuteScalarAsync<string>(new CommandDefinition(
                "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'public'", cancellationToken: Ct));
            Assert.Contains(schemaOwner, new[] { "pg_database_owner", PostgresServer.AppRole });
            Assert.Equal(Migrator.ScriptNames.Count, await db.ExecuteScalarAsync<int>(new CommandDefinition("SELECT count(*) FROM schema_migrations", cancellationToken: Ct)));

            // The migrations are summed up in one line; the password appears nowhere.
            Assert.Single(MigrationLines(api.Output));
            Assert.Equal(Migrator.ScriptNames.Count, AppliedNow(api.Output));
            Assert.DoesNotContain(connection.Password!, api.Output, StringComparison.Ordinal);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await server.DropDatabaseAsync(connection.ConnectionString);
        }
    }

    [Fact]
    public async Task Three_instances_started_at_once_on_an_empty_database_all_become_ready_and_migrate_it_once()
    {
        var database = await server.CreateEmptyDatabaseAsync();
        var connection = server.AppConnection(database).ConnectionString;
        try
        {
            var clock = Stopwatch.StartNew();
            var instances = Enumerable.Range(0, 3).Select(_ => ApiProcess.Start(new Dictionary<string, string?>
            {
                ["ConnectionStrings__Elections"] = connection,
                ["Auth__AdminKey"] = AdminKey,
            })).ToList();
            try
            {
                var ready = await Task.WhenAll(instances.Select(async api =>
                {
                    await api.WaitUntilReadyAsync(ReadyTimeout);
                    return clock.Elapsed;
                }));
                TestContext.Current.TestOutputHelper?.WriteLine(
                    $"Three parallel starts on an empty database: ready after {string.Join(", ", ready.Select(t => t.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)))} s");

                await using var db = new NpgsqlConnection(connection);
                await db.OpenAsync(Ct);
                var journal = (await db.QueryAsync<(string Script, long Count)>(new CommandDefinition(
                    "SELECT scriptname, count(*) FROM schema_migrations GROUP BY scriptname ORDER BY scriptname", cancellationToken: Ct))).ToList();
                Assert.Equal(Migrator.ScriptNames.Select(name => (name, 1L)), journal);
                // One instance applied every script; the other two waited for it and found nothing to do.
                Assert.Equal([0, 0, Migrator.ScriptNames.Count], instances.Select(api => AppliedNow(api.Output)).Order());
            }
            finally
            {
                foreach (var api in instances)
                {
                    await api.DisposeAsync();
                }
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await server.DropDatabaseAsync(connection);
        }
    }

    [Fact]
    public async Task A_database_that_comes_up_after_the_api_is_waited_for()
    {
        var connection = await server.CreateDatabaseAsync();
        try
        {
            var real = new NpgsqlConnectionStringBuilder(connection);
            var port = TcpForwarder.UnusedPort();
            var late = new NpgsqlConnectionStringBuilder(connection) { Host = "127.0.0.1", Port = port };
            await using var api = ApiProcess.Start(new Dictionary<string, string?>
            {
                ["ConnectionStrings__Elections"] = late.ConnectionString,
                ["Auth__AdminKey"] = AdminKey,
                ["Database__StartupTimeoutSeconds"] = "60",
            });

            // Nothing listens yet: the API says once that it waits, and keeps waiting.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!api.Output.Contains("retrying for up to 60 s", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, Ct);
            }

            Assert.Contains($"PostgreSQL at 127.0.0.1:{port} cannot be reached", api.Output, StringComparison.Ordinal);
            await Task.Delay(1500, Ct);
            Assert.DoesNotContain("cannot start", api.Output, StringComparison.Ordinal);

            // The database "comes up" on that port: the API connects, and is ready without a restart.
            await using var forwarder = new TcpForwarder(port, real.Host!, real.Port);
            await api.WaitUntilReadyAsync(ReadyTimeout);
            Assert.Matches(@"PostgreSQL at 127\.0\.0\.1:\d+ answers after \d+ attempts", api.Output);
            Assert.DoesNotContain(server.AppPassword, api.Output, StringComparison.Ordinal);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await server.DropDatabaseAsync(connection);
        }
    }

    [Fact]
    public async Task In_development_a_short_admin_key_is_accepted()
    {
        var connection = await server.CreateDatabaseAsync();
        try
        {
            await using var api = ApiProcess.Start(new Dictionary<string, string?>
            {
                ["ConnectionStrings__Elections"] = connection,
                ["Auth__AdminKey"] = "dev-admin-key",
                ["DOTNET_ENVIRONMENT"] = "Development",
            });
            var address = await api.WaitUntilReadyAsync(ReadyTimeout);
            using var client = new HttpClient { BaseAddress = address };
            using var keys = new HttpRequestMessage(HttpMethod.Get, "/v1/api-keys");
            keys.Headers.Add("X-Api-Key", "dev-admin-key");
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(keys, Ct)).StatusCode);
            Assert.Equal(0, AppliedNow(api.Output));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await server.DropDatabaseAsync(connection);
        }
    }

    internal static IEnumerable<string> MigrationLines(string output) =>
        output.Split('\n').Where(line => line.Contains("Migrations: ", StringComparison.Ordinal));

    /// <summary>How many migrations the instance applied itself, from its one summary line.</summary>
    internal static int AppliedNow(string output) =>
        int.Parse(Applied().Match(output) is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException($"No migration summary in:\n{output}"), CultureInfo.InvariantCulture);

    [GeneratedRegex(@"Migrations: (\d+) applied now")]
    private static partial Regex Applied();
}

/// <summary>Bad configuration and an unusable database stop the binary at once, with one line that says why and no password.</summary>
public sealed class StartupRefusalTests(PostgresServer server)
{
    private const string Password = "pw-Zq81-never-printed";
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    private static async Task<(int ExitCode, string Errors, string Output)> RunAsync(Dictionary<string, string?> environment)
    {
        environment.TryAdd("Auth__AdminKey", "a-long-admin-key-for-the-binary");
        await using var api = ApiProcess.Start(environment);
        var code = await api.WaitForExitAsync(ExitTimeout);
        return (code, api.Errors.Trim(), api.Output);
    }

    private static void AssertRefused((int ExitCode, string Errors, string Output) run, string expected)
    {
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("ElectionResults.Api cannot start: ", run.Errors, StringComparison.Ordinal);
        Assert.Contains(expected, run.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', run.Errors);
        Assert.DoesNotContain(Password, run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_connection_string_is_refused() =>
        AssertRefused(await RunAsync(new() { ["ConnectionStrings__Elections"] = null }), "ConnectionStrings__Elections is not set");

    [Fact]
    public async Task A_malformed_connection_string_is_refused() =>
        AssertRefused(
            await RunAsync(new() { ["ConnectionStrings__Elections"] = $"Host=127.0.0.1;Prot=5432;Database=elections;Username=elections;Password={Password}" }),
            "is not a valid Npgsql connection string");

    [Fact]
    public async Task A_connection_string_without_a_host_is_refused() =>
        AssertRefused(await RunAsync(new() { ["ConnectionStrings__Elections"] = $"Database=elections;Username=elections;Password={Password}" }), "names no Host");

    [Fact]
    public async Task A_short_admin_key_outside_development_is_refused() =>
        AssertRefused(
            await RunAsync(new() { ["ConnectionStrings__Elections"] = server.ConnectionStringFor("postgres"), ["Auth__AdminKey"] = "short-key" }),
            "Auth__AdminKey is 9 characters long; outside Development it must have at least 16");

    [Fact]
    public async Task An_unreachable_database_is_retried_for_the_configured_time_then_refused_naming_host_and_port()
    {
        var port = TcpForwarder.UnusedPort();

        var clock = Stopwatch.StartNew();
        var run = await RunAsync(new()
        {
            ["ConnectionStrings__Elections"] = $"Host=127.0.0.1;Port={port};Database=elections;Username=elections;Password={Password}",
            ["Database__StartupTimeoutSeconds"] = "3",
        });
        AssertRefused(run, $"cannot reach PostgreSQL at 127.0.0.1:{port} (database \"elections\") after 3 s");
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(45));
        Assert.Contains("retrying for up to 3 s", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_database_is_refused_in_one_line()
    {
        var missing = PostgresServer.NewDatabaseName();
        // The role's real password, so that the server gets as far as looking for the database.
        var connection = server.AppConnection(missing);
        var run = await RunAsync(new() { ["ConnectionStrings__Elections"] = connection.ConnectionString });
        Assert.DoesNotContain(server.AppPassword, run.Output, StringComparison.Ordinal);
        AssertRefused(run, $"database \"{missing}\" does not exist on {connection.Host}:{connection.Port}");
    }

    [Fact]
    public async Task A_wrong_password_is_refused_without_printing_it()
    {
        var connection = server.AppConnection("postgres");
        connection.Password = Password;
        AssertRefused(await RunAsync(new() { ["ConnectionStrings__Elections"] = connection.ConnectionString }), $"refused role \"{PostgresServer.AppRole}\"");
    }
}
