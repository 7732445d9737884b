using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using ElectionResults.Api.Infrastructure.Observability;
using ElectionResults.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ElectionResults.IntegrationTests.Operations;

/// <summary>
/// Everything the API logs (at Debug, every category, with every structured value) while it takes writes with a bad key,
/// a good key and a connection string that carries a password: one audit line per accepted and per refused write, and
/// no key, password or request body anywhere.
/// </summary>
public sealed class AuditLogTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string Mansfield = "/v1/elections/ge2017/constituencies/E14000810";
    private const string BodyMarker = "body-marker-5d1c0e";
    private const string BadKey = "bad-key-4f9a7be2c1d8";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record CreatedKey(long Id, string Key);

    [Fact]
    public async Task Writes_leave_audit_lines_and_no_secrets()
    {
        await api.LoadDemoDataAsync();
        var connection = new NpgsqlConnectionStringBuilder(api.ConnectionString);
        if (string.IsNullOrEmpty(connection.Password))
        {
            // A server that trusts this connection ignores the password; it must stay out of the logs all the same.
            connection.Password = "db-password-8c2e71f0";
        }

        var captured = new CapturedLogs();
        await using var instance = api.CreateInstance(new Dictionary<string, string>
        {
            ["ConnectionStrings:Elections"] = connection.ConnectionString,
            ["Logging:LogLevel:Default"] = "Debug",
            ["Logging:LogLevel:Microsoft"] = "Debug",
            ["Logging:LogLevel:Npgsql"] = "Debug",
        }).WithWebHostBuilder(builder => builder.ConfigureServices(services => services.AddSingleton<ILoggerProvider>(captured)));
        using var admin = instance.CreateClient();
        admin.DefaultRequestHeaders.Add("X-Api-Key", ApiFixture.AdminKey);

        var created = await (await admin.PostAsJsonAsync("/v1/api-keys", new { name = "log-desk", role = "results-entry" }, Ct)).ReadAsync<CreatedKey>();
        using var desk = instance.CreateClient();
        desk.DefaultRequestHeaders.Add("X-Api-Key", created.Key);
        using var stranger = instance.CreateClient();
        stranger.DefaultRequestHeaders.Add("X-Api-Key", BadKey);

        var current = await desk.GetAsync(Mansfield, Ct);
        var seat = await current.ReadAsync<ConstituencyDto>();
        var body = new
        {
            votes = seat.Candidates.Select(c => new { candidateId = c.Id, votes = c.Votes!.Value + (c.Elected ? 1 : 0) }).ToArray(),
            declaredAt = "2017-06-09T05:00:00+01:00",
            source = BodyMarker,
            reason = BodyMarker,
        };

        // A bad key: 401. A good key: the correction is accepted. The same ETag again: 412.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(stranger, body, current.Headers.ETag!.Tag)).StatusCode);
        var accepted = await Send(desk, body, current.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        var revision = (await accepted.ReadAsync<ConstituencyDto>()).Revision;
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Send(desk, body, current.Headers.ETag!.Tag)).StatusCode);
        // Invalid: a correction without its reason (the other values carry the marker that must not be logged).
        var invalid = await Send(desk, new { body.votes, body.declaredAt, source = BodyMarker }, accepted.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);

        var lines = captured.Lines;
        var audit = lines.Where(l => l.StartsWith(WriteAuditMiddleware.Category, StringComparison.Ordinal)).ToArray();
        Assert.Contains(audit, l => l.Contains("Write accepted: correction by key log-desk", StringComparison.Ordinal)
            && l.Contains("election ge2017", StringComparison.Ordinal) && l.Contains("seat E14000810", StringComparison.Ordinal)
            && l.Contains($"revision {revision}", StringComparison.Ordinal) && l.Contains(accepted.Headers.ETag!.Tag, StringComparison.Ordinal));
        Assert.Contains(audit, l => l.Contains("Write refused: SubmitDeclaration by key unknown", StringComparison.Ordinal) && l.Contains("status 401", StringComparison.Ordinal));
        Assert.Contains(audit, l => l.Contains("Write refused: SubmitDeclaration by key log-desk", StringComparison.Ordinal)
            && l.Contains("status 412", StringComparison.Ordinal) && l.Contains("has changed since you read it", StringComparison.Ordinal));
        Assert.Contains(audit, l => l.Contains("Write accepted: CreateApiKey by key admin", StringComparison.Ordinal));
        Assert.Contains(audit, l => l.Contains("Write refused: SubmitDeclaration by key log-desk", StringComparison.Ordinal)
            && l.Contains("status 400", StringComparison.Ordinal) && l.Contains("(fields: reason)", StringComparison.Ordinal));

        var all = string.Join('\n', lines);
        Assert.True(lines.Count > 20, $"only {lines.Count} log lines were captured");
        foreach (var secret in new[] { ApiFixture.AdminKey, created.Key, BadKey, connection.Password!, BodyMarker })
        {
            Assert.False(all.Contains(secret, StringComparison.Ordinal), $"'{secret}' appears in the logs:\n{string.Join('\n', lines.Where(l => l.Contains(secret, StringComparison.Ordinal)))}");
        }
    }

    [Fact]
    public async Task Json_console_logs_are_one_setting_away()
    {
        await using var instance = api.CreateInstance(new Dictionary<string, string> { ["Logging:Console:FormatterName"] = "json" });
        var options = instance.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue;
        Assert.Equal("json", options.FormatterName);
        Assert.Contains(instance.Services.GetServices<ConsoleFormatter>(), f => f.Name == "json");
        Assert.Contains(instance.Services.GetServices<ILoggerProvider>(), p => p is ConsoleLoggerProvider);
    }

    [Fact]
    public async Task Metrics_do_not_carry_the_database_password()
    {
        var connection = new NpgsqlConnectionStringBuilder(api.ConnectionString);
        if (string.IsNullOrEmpty(connection.Password))
        {
            connection.Password = "db-password-3a9f0c2d";
        }

        await using var instance = api.CreateInstance(new Dictionary<string, string> { ["ConnectionStrings:Elections"] = connection.ConnectionString });
        using var client = instance.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/elections", Ct)).StatusCode);
        var metrics = await client.GetStringAsync("/metrics", Ct);
        Assert.Contains("db_client_", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain(connection.Password!, metrics, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> Send(HttpClient client, object body, string etag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Mansfield}/declarations") { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        return await client.SendAsync(request, Ct);
    }

    /// <summary>Every log entry as one line: category, level, message, every structured value and any exception.</summary>
    private sealed class CapturedLogs : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyList<string> Lines => _lines.ToArray();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var line = new StringBuilder().Append(category).Append(' ').Append(logLevel).Append(": ").Append(formatter(state, exception));
                if (state is IEnumerable<KeyValuePair<string, object?>> values)
                {
                    foreach (var (key, value) in values)
                    {
                        line.Append(" | ").Append(key).Append('=').Append(value);
                    }
                }

                if (exception is not null)
                {
                    line.Append(" | ").Append(exception);
                }

                lines.Enqueue(line.ToString());
            }
        }
    }
}
