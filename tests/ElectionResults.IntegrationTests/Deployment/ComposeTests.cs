using System.Diagnostics;
using System.Text.RegularExpressions;
using ElectionResults.IntegrationTests.Infrastructure;
using Npgsql;
using YamlDotNet.RepresentationModel;

namespace ElectionResults.IntegrationTests.Deployment;

/// <summary>
/// docker-compose.yml without a Docker engine: its services restart, the API waits for a healthy database, and the
/// database's healthcheck command, run against the test server, passes only when the database exists and the API's role
/// logs in to it with its password.
/// </summary>
public sealed class ComposeTests(PostgresServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static YamlMappingNode Services()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ElectionResults.sln")))
        {
            directory = directory.Parent;
        }

        var path = Path.Combine(directory?.FullName ?? throw new InvalidOperationException("Cannot find the repository root."), "docker-compose.yml");
        var yaml = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            yaml.Load(reader);
        }

        return (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
    }

    private static string Scalar(YamlNode node, params string[] keys)
    {
        foreach (var key in keys)
        {
            node = ((YamlMappingNode)node)[key];
        }

        return ((YamlScalarNode)node).Value!;
    }

    private static string HealthcheckCommand()
    {
        var test = (YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)Services()["db"])["healthcheck"])["test"];
        Assert.Equal("CMD-SHELL", ((YamlScalarNode)test[0]).Value);
        return ((YamlScalarNode)test[1]).Value!;
    }

    [Fact]
    public void The_services_restart_and_the_api_waits_for_a_healthy_database_whose_check_names_the_database_and_the_role()
    {
        var services = Services();
        Assert.Equal("unless-stopped", Scalar(services, "db", "restart"));
        Assert.Equal("unless-stopped", Scalar(services, "api", "restart"));
        Assert.Equal("service_healthy", Scalar(services, "api", "depends_on", "db", "condition"));

        var command = HealthcheckCommand();
        Assert.Contains("pg_isready -h 127.0.0.1 -p 5432 -d elections -U elections", command);
        Assert.Contains("psql -X -h 127.0.0.1 -p 5432 -U elections -d elections", command);
        Assert.Contains("$$ELECTIONS_DB_PASSWORD", command);
    }

    [Fact]
    public async Task The_database_healthcheck_passes_only_when_the_database_exists_and_the_role_logs_in()
    {
        var database = PostgresServer.NewDatabaseName();
        Assert.NotEqual(0, await RunHealthcheckAsync(database, server.AppPassword));

        await server.ExecuteAsAdminAsync($"CREATE DATABASE {database} OWNER {PostgresServer.AppRole}");
        try
        {
            Assert.Equal(0, await RunHealthcheckAsync(database, server.AppPassword));
            Assert.NotEqual(0, await RunHealthcheckAsync(database, "not-the-password"));
        }
        finally
        {
            await server.ExecuteAsAdminAsync($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }
    }

    /// <summary>
    /// The compose file's command as the container's shell gets it ($$ is $), pointed at the test server, with the test's
    /// role and <paramref name="database"/> for "elections", and <paramref name="password"/> as ELECTIONS_DB_PASSWORD.
    /// </summary>
    private async Task<int> RunHealthcheckAsync(string database, string password)
    {
        var admin = new NpgsqlConnectionStringBuilder(server.AdminConnectionString);
        var command = HealthcheckCommand().Replace("$$", "$", StringComparison.Ordinal)
            .Replace("-h 127.0.0.1 -p 5432", $"-h {admin.Host} -p {admin.Port}", StringComparison.Ordinal)
            .Replace("-U elections", $"-U {PostgresServer.AppRole}", StringComparison.Ordinal);
        command = Regex.Replace(command, @"\belections\b", database);

        var start = new ProcessStartInfo("sh", ["-c", command]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var name in new[] { "PGPASSWORD", "PGPASSFILE", "PGHOST", "PGPORT", "PGUSER", "PGDATABASE", "PGSERVICE" })
        {
            start.Environment.Remove(name);
        }

        start.Environment["PGPASSFILE"] = "/dev/null";
        start.Environment["PGCONNECT_TIMEOUT"] = "5";
        start.Environment["ELECTIONS_DB_PASSWORD"] = password;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        TestContext.Current.TestOutputHelper?.WriteLine($"healthcheck ({database}): exit {process.ExitCode}; {await output}{await error}");
        return process.ExitCode;
    }
}
