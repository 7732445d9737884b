using System.Security.Cryptography;
using Dapper;
using ElectionResults.Api.Infrastructure.Auth;
using ElectionResults.Api.Infrastructure.Http;
using ElectionResults.Api.Infrastructure.Validation;
using ElectionResults.Api.ReadModel;
using Npgsql;

namespace ElectionResults.Api.Features.ApiKeys;

public static class ApiKeyEndpoints
{
    public static RouteGroupBuilder MapApiKeys(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/api-keys").WithTags("API keys")
            .RequireAuthorization(ApiPolicies.Admin).RequireRateLimiting(RateLimits.WritePolicy);

        group.MapPost("/", CreateApiKey)
            .WithName(nameof(CreateApiKey))
            .WithSummary("Create an API key")
            .WithDescription("Generates a random 256-bit key. The answer shows it once; only its SHA-256 hash is stored. 409 when the name is taken.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithValidation();

        group.MapGet("/", ListApiKeys)
            .WithName(nameof(ListApiKeys))
            .WithSummary("List API keys")
            .WithDescription("Every key with its role and last use, revoked ones included; never the keys themselves.")
            .ProducesNotAcceptable();

        group.MapDelete("/{id:long}", RevokeApiKey)
            .WithName(nameof(RevokeApiKey))
            .WithSummary("Revoke an API key")
            .WithDescription("The key stops working at once. Its record stays, so the revisions it entered still name it.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return group;
    }

    public static async Task<Results<Created<CreatedApiKeyResponse>, ProblemHttpResult, ValidationProblem>> CreateApiKey(
        CreateApiKeyRequest request, HttpContext http, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO api_keys (name, role, key_hash, key_prefix, created_by, scope) VALUES (@Name, @Role, @hash, @prefix, @createdBy, @scope)
            ON CONFLICT (name) DO NOTHING
            RETURNING id
            """;

        var key = "er_" + Base64Url(RandomNumberGenerator.GetBytes(32));
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var id = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(sql, new
        {
            request.Name,
            request.Role,
            hash = ApiKeyStore.Hash(key),
            prefix = key[..7],
            createdBy = http.User.KeyName(),
            scope = request.Scope ?? ApiScopes.All,
        }, cancellationToken: ct));
        if (id is null)
        {
            return Problems.Conflict($"There is already a key named '{request.Name}'.");
        }

        return TypedResults.Created($"/v1/api-keys/{id}", new CreatedApiKeyResponse(id.Value, request.Name, request.Role, key) { Scope = request.Scope ?? ApiScopes.All });
    }

    public static async Task<TaggedJson<ApiKeyResponse[]>> ListApiKeys(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        const string sql = """
            SELECT id, name, role, scope, key_prefix AS Prefix, created_by AS CreatedBy, created_at AS CreatedAt, last_used_at AS LastUsedAt, revoked_at AS RevokedAt
            FROM api_keys ORDER BY id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(sql, cancellationToken: ct));
        return TaggedJson.Of(rows.Select(r => new ApiKeyResponse(r.Id, r.Name, r.Role, r.Prefix, r.CreatedBy,
            new DateTimeOffset(DateTime.SpecifyKind(r.CreatedAt, DateTimeKind.Utc)), Utc(r.LastUsedAt), Utc(r.RevokedAt)) { Scope = r.Scope }).ToArray());
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeApiKey(long id, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        const string sql = "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE id = @id";
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(sql, new { id }, cancellationToken: ct)) == 0
            ? Problems.NotFound($"There is no API key {id}.")
            : TypedResults.NoContent();
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static DateTimeOffset? Utc(DateTime? value) => value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;

    private sealed class Row
    {
        public long Id { get; init; }
        public required string Name { get; init; }
        public required string Role { get; init; }
        public required string Scope { get; init; }
        public required string Prefix { get; init; }
        public required string CreatedBy { get; init; }
        public DateTime CreatedAt { get; init; }
        public DateTime? LastUsedAt { get; init; }
        public DateTime? RevokedAt { get; init; }
    }
}
