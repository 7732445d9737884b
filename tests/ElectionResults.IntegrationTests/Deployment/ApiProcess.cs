using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace ElectionResults.IntegrationTests.Deployment;

/// <summary>
/// The API binary as an operator starts it: <c>dotnet ElectionResults.Api.dll</c> from its build output, configured
/// through environment variables only, in the Production environment unless told otherwise, listening on a port
/// the kernel picks. Standard output and error are collected, and each line goes to the output of the test that started
/// it; disposing kills the process if it still runs.
/// </summary>
public sealed partial class ApiProcess : IAsyncDisposable
{
    private static readonly string[] InheritedPrefixes = ["ConnectionStrings__", "Auth__", "Database__", "ASPNETCORE_", "DOTNET_ENVIRONMENT", "Logging__"];

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _errors = new();
    private readonly TaskCompletionSource<int> _port = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly ITestOutputHelper? _testOutput = TestContext.Current.TestOutputHelper;

    private ApiProcess(Process process) => _process = process;

    /// <summary>ElectionResults.Api.dll as built beside this test assembly (same configuration and framework).</summary>
    public static string Binary { get; } = LocateBinary();

    /// <summary>Standard output and error, interleaved as they arrived.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Standard error alone.</summary>
    public string Errors
    {
        get
        {
            lock (_output)
            {
                return _errors.ToString();
            }
        }
    }

    /// <summary>Starts the binary with these settings (a null value removes an inherited variable) and arguments.</summary>
    public static ApiProcess Start(IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(Binary)!,
        };
        info.ArgumentList.Add(Binary);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // Nothing of the test run's own configuration leaks in: only what the test gives.
        foreach (var key in info.Environment.Keys.Where(key => InheritedPrefixes.Any(prefix => key.StartsWith(prefix, StringComparison.Ordinal))).ToList())
        {
            info.Environment.Remove(key);
        }

        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        info.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        var api = new ApiProcess(new Process { StartInfo = info, EnableRaisingEvents = true });
        api._process.OutputDataReceived += (_, e) => api.Collect(e.Data, error: false);
        api._process.ErrorDataReceived += (_, e) => api.Collect(e.Data, error: true);
        api._process.Exited += (_, _) => api._port.TrySetException(new InvalidOperationException("The API exited before it listened."));
        api._process.Start();
        api._process.BeginOutputReadLine();
        api._process.BeginErrorReadLine();
        return api;
    }

    private void Collect(string? line, bool error)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
            if (error)
            {
                _errors.AppendLine(line);
            }
        }

        try
        {
            _testOutput?.WriteLine($"[api {_process.Id}{(error ? " stderr" : "")}] {line}");
        }
        catch (InvalidOperationException)
        {
            // The test that started it is over.
        }

        var listening = ListeningOn().Match(line);
        if (listening.Success)
        {
            _port.TrySetResult(int.Parse(listening.Groups[1].Value, CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Waits until <c>/health/ready</c> answers 200 and returns the base address; fails with the output otherwise.</summary>
    public async Task<Uri> WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            var port = await _port.Task.WaitAsync(cts.Token);
            var address = new Uri($"http://127.0.0.1:{port}");
            using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
            while (true)
            {
                try
                {
                    using var response = await client.GetAsync("/health/ready", cts.Token);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        return address;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not answering yet.
                }
                catch (TaskCanceledException) when (!cts.IsCancellationRequested)
                {
                    // One slow answer (a busy machine, a first connection): ask again until the overall timeout.
                }

                await Task.Delay(50, cts.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException)
        {
            throw new InvalidOperationException($"The API did not become ready ({ex.Message}). Its output:\n{Output}", ex);
        }
    }

    /// <summary>Waits for the process to end by itself and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException ex)
        {
            throw new InvalidOperationException($"The API did not exit within {timeout.TotalSeconds} s. Its output:\n{Output}", ex);
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static string LocateBinary()
    {
        // This assembly lives in tests/ElectionResults.IntegrationTests/bin/<Configuration>/<framework>/.
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = here.Name;
        var configuration = here.Parent!.Name;
        var root = here;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "ElectionResults.sln")))
        {
            root = root.Parent;
        }

        var binary = Path.Combine(root?.FullName ?? "", "src", "ElectionResults.Api", "bin", configuration, framework, "ElectionResults.Api.dll");
        return File.Exists(binary) ? binary : throw new FileNotFoundException($"The API binary is not built at {binary}.");
    }

    [GeneratedRegex(@"Now listening on: http://127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningOn();
}
