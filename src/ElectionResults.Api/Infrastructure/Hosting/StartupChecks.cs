using System.Globalization;
using ElectionResults.Api.Infrastructure.Auth;
using ElectionResults.Api.Infrastructure.Database;
using Npgsql;

namespace ElectionResults.Api.Infrastructure.Hosting;

/// <summary>A configuration or environment problem that stops the process before it serves: one line for the operator.</summary>
public sealed class StartupException(string message) : Exception(message);

/// <summary>
/// What the binary checks before it touches the database or serves: a connection string that parses, a long enough
/// admin key outside Development, and a database that answers (waiting for it, with backoff, for a bounded time).
/// Messages name the host, port, database and role, and never the password.
/// </summary>
public static class StartupChecks
{
    /// <summary>Shortest <c>Auth__AdminKey</c> accepted outside the Development environment.</summary>
    public const int MinimumAdminKeyLength = 16;

    /// <summary>Default for <c>Database__StartupTimeoutSeconds</c>: how long a start waits for PostgreSQL.</summary>
    public const int DefaultStartupTimeoutSeconds = 60;

    /// <summary>The configured connection string, parsed; throws <see cref="StartupException"/> when it is missing or malformed.</summary>
    public static NpgsqlConnectionStringBuilder ConnectionString(IConfiguration configuration)
    {
        var value = configuration.GetConnectionString(DatabaseExtensions.ConnectionStringName);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new StartupException(
                "ConnectionStrings__Elections is not set: give the Npgsql connection string of the results database, " +
                "e.g. Host=db;Port=5432;Database=elections;Username=elections;Password=...");
        }

        NpgsqlConnectionStringBuilder parsed;
        try
        {
            parsed = new NpgsqlConnectionStringBuilder(value);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            // Npgsql's messages name the keyword, never the value (which may be the password).
            throw new StartupException($"ConnectionStrings__Elections is not a valid Npgsql connection string ({ex.Message}); expected Host=...;Port=...;Database=...;Username=...;Password=...");
        }

        if (string.IsNullOrWhiteSpace(parsed.Host))
        {
            throw new StartupException("ConnectionStrings__Elections names no Host: expected Host=...;Port=...;Database=...;Username=...;Password=...");
        }

        return parsed;
    }

    /// <summary>Refuses a short bootstrap admin key outside Development (an unset key is allowed: writes are then refused).</summary>
    public static void AdminKey(IConfiguration configuration, IHostEnvironment environment)
    {
        var key = configuration[$"{AuthOptions.Section}:{nameof(AuthOptions.AdminKey)}"];
        if (!string.IsNullOrEmpty(key) && key.Length < MinimumAdminKeyLength && !environment.IsDevelopment())
        {
            throw new StartupException(
                $"Auth__AdminKey is {key.Length} characters long; outside Development it must have at least {MinimumAdminKeyLength} " +
                "(use a long random secret, or leave it unset to refuse every write until keys exist).");
        }
    }

    /// <summary>
    /// Opens a connection, retrying with backoff while the server cannot be reached, for at most
    /// <c>Database__StartupTimeoutSeconds</c> (default 60). A missing database or refused credentials fail at once.
    /// </summary>
    public static async Task WaitForDatabaseAsync(NpgsqlDataSource dataSource, NpgsqlConnectionStringBuilder target, IConfiguration configuration, TimeProvider time, ILogger logger, CancellationToken ct)
    {
        var seconds = configuration.GetValue("Database:StartupTimeoutSeconds", DefaultStartupTimeoutSeconds);
        var deadline = time.GetUtcNow().AddSeconds(Math.Max(0, seconds));
        var delay = TimeSpan.FromMilliseconds(250);
        var where = Where(target);
        var attempts = 0;
        while (true)
        {
            attempts++;
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(ct);
                if (attempts > 1)
                {
                    logger.LogInformation("PostgreSQL at {Server} answers after {Attempts} attempts.", where, attempts);
                }

                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidCatalogName)
            {
                throw new StartupException(
                    $"database \"{target.Database}\" does not exist on {where}: the operator creates it first " +
                    $"(CREATE DATABASE \"{target.Database}\" OWNER \"{target.Username}\"), then the API migrates it.");
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification)
            {
                throw new StartupException($"PostgreSQL at {where} refused role \"{target.Username}\": {Scrub(ex.MessageText, target)}");
            }
            catch (Exception ex) when (DatabaseErrors.IsUnavailable(ex) && !ct.IsCancellationRequested)
            {
                if (time.GetUtcNow() + delay > deadline)
                {
                    throw new StartupException(
                        $"cannot reach PostgreSQL at {where} (database \"{target.Database}\") after {seconds} s and {attempts} attempts: {Describe(ex, target)}");
                }

                if (attempts == 1)
                {
                    logger.LogWarning("PostgreSQL at {Server} cannot be reached ({Reason}); retrying for up to {Seconds} s.", where, Describe(ex, target), seconds);
                }

                await Task.Delay(delay, time, ct);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
            }
            catch (NpgsqlException ex)
            {
                throw new StartupException($"cannot connect to PostgreSQL at {where} as \"{target.Username}\": {Describe(ex, target)}");
            }
        }
    }

    /// <summary>host:port as the connection string names them (the default port when it names none).</summary>
    public static string Where(NpgsqlConnectionStringBuilder target) =>
        string.Create(CultureInfo.InvariantCulture, $"{target.Host}:{target.Port}");

    private static string Describe(Exception ex, NpgsqlConnectionStringBuilder target)
    {
        var message = ex.InnerException is { } inner && inner.Message != ex.Message ? $"{ex.Message} ({inner.Message})" : ex.Message;
        return Scrub(message, target);
    }

    /// <summary>Belt and braces: no message leaves here with the password in it.</summary>
    private static string Scrub(string message, NpgsqlConnectionStringBuilder target) =>
        string.IsNullOrEmpty(target.Password) ? message : message.Replace(target.Password, "***", StringComparison.Ordinal);
}
