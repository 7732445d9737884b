using Dapper;
using ElectionResults.Api.ReadModel;
using Npgsql;

namespace ElectionResults.Api.Infrastructure.Database;

public static class Writes
{
    /// <summary>
    /// Every write transaction starts here. Bumping the single data_version row tells every reader
    /// (on any instance, through the NOTIFY delivered at commit) that cached documents are stale, and
    /// its row lock serialises writers, so a check made after it (If-Match, "already declared") cannot
    /// be overtaken by another writer. <paramref name="scope"/> tells readers what the write changes, so that they can
    /// update rather than reload. Returns the version this transaction will commit.
    /// </summary>
    public static Task<long> BeginWriteAsync(this NpgsqlConnection connection, NpgsqlTransaction tx, ChangeScope scope, CancellationToken ct) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"""
            WITH bumped AS (UPDATE data_version SET version = version + 1 RETURNING version)
            SELECT version FROM bumped, pg_notify('{ChangeListener.Channel}', version::text || @suffix)
            """, new { suffix = scope.Code is null ? "" : $" {scope.ElectionId} {scope.Code}" }, transaction: tx, cancellationToken: ct));
}

/// <summary>
/// A write: one connection, one transaction, begun with <see cref="WriteTransactions"/>. Committing
/// it tells this process's <see cref="ChangeListener"/> at once, so the instance that took a write
/// serves the new state to the very next read (read-your-writes) without waiting for the notification.
/// </summary>
public sealed class WriteTransaction : IAsyncDisposable
{
    private readonly ChangeListener _listener;
    private readonly ChangeScope _scope;

    private WriteTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction, long version, ChangeListener listener, ChangeScope scope)
    {
        Connection = connection;
        Transaction = transaction;
        Version = version;
        _listener = listener;
        _scope = scope;
    }

    public NpgsqlConnection Connection { get; }

    public NpgsqlTransaction Transaction { get; }

    /// <summary>The data version this write commits.</summary>
    public long Version { get; }

    public static async Task<WriteTransaction> BeginAsync(NpgsqlDataSource dataSource, ChangeListener listener, ChangeScope scope, CancellationToken ct)
    {
        var connection = await dataSource.OpenConnectionAsync(ct);
        try
        {
            var transaction = await connection.BeginTransactionAsync(ct);
            var version = await connection.BeginWriteAsync(transaction, scope, ct);
            return new WriteTransaction(connection, transaction, version, listener, scope);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task CommitAsync(CancellationToken ct)
    {
        await Transaction.CommitAsync(ct);
        _listener.Observe(Version, _scope);
    }

    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}

/// <summary>Begins <see cref="WriteTransaction"/>s; a singleton so that features need one dependency, not two.</summary>
public sealed class WriteTransactions(NpgsqlDataSource dataSource, ChangeListener listener)
{
    /// <summary>A write that may change anything.</summary>
    public Task<WriteTransaction> BeginAsync(CancellationToken ct) => WriteTransaction.BeginAsync(dataSource, listener, ChangeScope.Anything, ct);

    /// <summary>A write that changes only the declarations of one seat (readers then update that seat alone).</summary>
    public Task<WriteTransaction> BeginAsync(ChangeScope scope, CancellationToken ct) => WriteTransaction.BeginAsync(dataSource, listener, scope, ct);
}
