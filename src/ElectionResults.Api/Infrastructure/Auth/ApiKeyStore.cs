using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ElectionResults.Api.Infrastructure.Auth;

/// <summary>
/// Finds the key behind an <c>X-Api-Key</c> value. The bootstrap key is compared in constant time
/// (both sides hashed first, so neither length nor prefix leaks); other keys are found by the SHA-256
/// of the presented value, so the stored hash is never compared byte by byte in code. Writes always ask
/// the database, so a revoked key stops working at once; private reads may reuse an answer for a few
/// seconds. Keys are never logged.
/// </summary>
public sealed class ApiKeyStore(NpgsqlDataSource dataSource, IOptions<AuthOptions> options, TimeProvider time)
{
    public const string BootstrapName = "admin";
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, (ApiIdentity? Identity, DateTimeOffset Until)> _readCache = new(StringComparer.Ordinal);

    /// <summary>
    /// The unrevoked key presented, or null. With a positive <paramref name="reuseFor"/> (private reads), an answer
    /// (a miss included) is kept and reused for that long; otherwise the database is asked every time.
    /// </summary>
    public async Task<ApiIdentity?> FindAsync(string presented, TimeSpan reuseFor, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(presented) || presented.Length > 200)
        {
            return null;
        }

        var adminKey = options.Value.AdminKey;
        if (!string.IsNullOrEmpty(adminKey) && CryptographicOperations.FixedTimeEquals(Hash(presented), Hash(adminKey)))
        {
            return new ApiIdentity(BootstrapName, ApiRoles.Admin);
        }

        var hash = Hash(presented);
        var cacheKey = Convert.ToBase64String(hash);
        var now = time.GetUtcNow();
        var reuse = reuseFor > TimeSpan.Zero;
        if (reuse && _readCache.TryGetValue(cacheKey, out var cached) && cached.Until > now)
        {
            return cached.Identity;
        }

        const string sql = """
            UPDATE api_keys SET last_used_at = now()
            WHERE key_hash = @hash AND revoked_at IS NULL AND (last_used_at IS NULL OR last_used_at < now() - @resolution)
            RETURNING name AS Name, role AS Role, scope AS Scope;
            SELECT name AS Name, role AS Role, scope AS Scope FROM api_keys WHERE key_hash = @hash AND revoked_at IS NULL;
            """;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        using var grid = await connection.QueryMultipleAsync(new CommandDefinition(sql, new { hash, resolution = LastUsedResolution }, cancellationToken: ct));
        await grid.ReadAsync<ApiIdentity>();
        var identity = await grid.ReadSingleOrDefaultAsync<ApiIdentity>();
        if (reuse)
        {
            _readCache[cacheKey] = (identity, now + reuseFor);
        }

        return identity;
    }

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
