using Dapper;
using Npgsql;

namespace ElectionResults.Api.Infrastructure.Database;

public static class Writes
{
    /// <summary>
    /// Every write transaction starts here. Bumping the single data_version row tells every reader
    /// (on any instance) that cached documents are stale, and its row lock serialises writers, so a
    /// check made after it (If-Match, "already declared") cannot be overtaken by another writer.
    /// </summary>
    public static Task<long> BeginWriteAsync(this NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "UPDATE data_version SET version = version + 1 RETURNING version", transaction: tx, cancellationToken: ct));
}
