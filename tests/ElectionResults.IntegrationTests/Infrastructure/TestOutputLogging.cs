using System.Globalization;
using Microsoft.Extensions.Logging;

namespace ElectionResults.IntegrationTests.Infrastructure;

/// <summary>
/// Where a host's log lines go: the output of the test that is running. A line logged on the test's own flow goes to
/// that test; a line logged elsewhere (a request served by Kestrel or the test server, a background service) goes to
/// the test that last sent a request to this host through its clients (tests of one class run one at a time).
/// Lines that arrive when no test is there to take them are dropped.
/// </summary>
public sealed class TestOutputSink
{
    private ITestOutputHelper? _latest;

    /// <summary>Remembers the current test's output as this host's (called for every request its clients send).</summary>
    public void Follow()
    {
        if (TestContext.Current.TestOutputHelper is { } output)
        {
            Volatile.Write(ref _latest, output);
        }
    }

    public void WriteLine(string line)
    {
        if (!TryWrite(TestContext.Current.TestOutputHelper, line))
        {
            TryWrite(Volatile.Read(ref _latest), line);
        }
    }

    private static bool TryWrite(ITestOutputHelper? output, string line)
    {
        if (output is null)
        {
            return false;
        }

        try
        {
            output.WriteLine(line);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;   // that test is over
        }
    }
}

/// <summary>
/// The API's logs in the test output. By default Warning and above, without the audit category (whose "write
/// refused" lines are what most tests expect) and the routing notice that the test server cannot limit body sizes
/// (the API limits them itself); <c>ELECTIONS_TEST_LOG_LEVEL=Information</c> (or <c>Debug</c>,
/// <c>Trace</c>, <c>Error</c>, <c>None</c>) sets the level for every category, the audit's included.
/// </summary>
public static class TestOutputLogging
{
    public const string LevelVariable = "ELECTIONS_TEST_LOG_LEVEL";

    private const string AuditCategory = "ElectionResults.Audit";
    private const string RoutingCategory = "Microsoft.AspNetCore.Routing.EndpointRoutingMiddleware";

    public static void Add(ILoggingBuilder logging, TestOutputSink sink)
    {
        logging.AddProvider(new TestOutputLoggerProvider(sink));
        if (Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable(LevelVariable), ignoreCase: true, out var level))
        {
            logging.AddFilter<TestOutputLoggerProvider>(null, level);
        }
        else
        {
            logging.AddFilter<TestOutputLoggerProvider>(null, LogLevel.Warning);
            logging.AddFilter<TestOutputLoggerProvider>(AuditCategory, LogLevel.None);
            // The test server has no request body size feature, and routing says so on every request with a body.
            logging.AddFilter<TestOutputLoggerProvider>(RoutingCategory, LogLevel.Error);
        }
    }
}

public sealed class TestOutputLoggerProvider(TestOutputSink sink) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(sink, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(TestOutputSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var line = string.Create(CultureInfo.InvariantCulture, $"[server {DateTimeOffset.UtcNow:HH:mm:ss.fff} {logLevel}] {category}: {formatter(state, exception)}");
            sink.WriteLine(exception is null ? line : $"{line}\n{exception}");
        }
    }
}

/// <summary>Points the host's log lines at the test that sends each request.</summary>
public sealed class TestOutputFollowingHandler(TestOutputSink sink) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        sink.Follow();
        return base.SendAsync(request, cancellationToken);
    }
}
