using System.Net.Sockets;
using Npgsql;

namespace ElectionResults.Api.Infrastructure.Database;

public static class DatabaseErrors
{
    /// <summary>
    /// True when an exception means PostgreSQL cannot be reached or is shutting down (as opposed to a
    /// query that is wrong): the caller answers 503 and retries later, or serves what it has.
    /// </summary>
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal) // connection exceptions
            || postgres.SqlState is "57P01" or "57P02" or "57P03" or "53300", // shutdown, crash, starting up, too many connections
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is SocketException or TimeoutException or IOException,
        SocketException or TimeoutException => true,
        _ => false,
    };
}
