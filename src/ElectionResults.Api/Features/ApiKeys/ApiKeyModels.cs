using ElectionResults.Api.Infrastructure.Auth;
using ElectionResults.Api.Infrastructure.Validation;
using FluentValidation;

namespace ElectionResults.Api.Features.ApiKeys;

/// <summary>Creates an API key.</summary>
/// <param name="Name">Who or what uses it (`results-desk-1`, `graphics`): letters, digits, spaces, `.`, `_`, `-`; 1–100 characters; unique. Recorded on every revision the key enters.</param>
/// <param name="Role">`admin`, `results-entry` or `reader`.</param>
/// <param name="Scope">Which elections it may write to: `live` (elections that are not test data), `test` (test elections only: rehearsals and replays; nothing shared with the live night, such as parties or keys) or `all` (the default). A write outside its scope is a 403 naming the scope.</param>
public sealed record CreateApiKeyRequest(string Name, string Role, string? Scope = null);

public sealed class CreateApiKeyRequestValidator : AbstractValidator<CreateApiKeyRequest>
{
    public CreateApiKeyRequestValidator()
    {
        RuleFor(r => r.Name).NotEmpty().Matches(@"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}\z")
            .WithMessage("Names are 1–100 letters, digits, spaces, '.', '_' or '-', starting with a letter or digit.");
        RuleFor(r => r.Role).NotEmpty().OneOf(ApiRoles.All).WithMessage("Role must be admin, results-entry or reader.");
        RuleFor(r => r.Scope).OneOf(ApiScopes.Every).WithMessage("Scope must be live, test or all.");
    }
}

/// <summary>An API key as listed: never the key itself.</summary>
/// <param name="Id">Key id, for revoking it.</param>
/// <param name="Name">Its name.</param>
/// <param name="Role">`admin`, `results-entry` or `reader`.</param>
/// <param name="Prefix">The first characters of the key, to tell keys apart.</param>
/// <param name="CreatedBy">Name of the key that created it.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="LastUsedAt">When it was last used (to the minute); null if never.</param>
/// <param name="RevokedAt">When it was revoked; null while it works.</param>
public sealed record ApiKeyResponse(long Id, string Name, string Role, string Prefix, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    /// <summary>`live`, `test` or `all`: which elections it may write to.</summary>
    public string Scope { get; init; } = ApiScopes.All;
}

/// <summary>A new API key. `key` is shown this once and cannot be retrieved again: only its hash is stored.</summary>
/// <param name="Id">Key id.</param>
/// <param name="Name">Its name.</param>
/// <param name="Role">Its role.</param>
/// <param name="Key">The key, to send as `X-Api-Key`. Store it now.</param>
public sealed record CreatedApiKeyResponse(long Id, string Name, string Role, string Key)
{
    /// <summary>`live`, `test` or `all`: which elections it may write to.</summary>
    public string Scope { get; init; } = ApiScopes.All;
}
