using Dapper;
using ElectionResults.Api.Features.Figures;
using ElectionResults.Api.Infrastructure.Auth;
using ElectionResults.Api.Infrastructure.Http;
using ElectionResults.Api.Infrastructure.Validation;
using ElectionResults.Api.ReadModel;

namespace ElectionResults.Api.Features.Parties;

public static class PartyEndpoints
{
    /// <summary>Party codes as the House of Commons Library writes them: up to 60 characters, no control characters or slashes.</summary>
    private static bool IsPartyCode(string code) =>
        code.Length is >= 1 and <= 60 && code == code.Trim() && !code.Any(c => char.IsControl(c) || c == '/');

    public static RouteGroupBuilder MapParties(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/parties").WithTags("Parties");

        group.MapGet("/", ListParties)
            .WithName(nameof(ListParties))
            .WithSummary("List parties with their colours")
            .WithDescription("Every party known to the service, ordered by code, with its label (`shortName`) and the colour for text on its colour (`textColour`).")
            .ProducesDocument<PartyResponse[]>();

        group.MapPut("/{code}", PutParty)
            .WithName(nameof(PutParty))
            .WithSummary("Create or update a party")
            .WithDescription("201 when created, 200 when updated.")
            .WithValidation()
            .RequireAuthorization(ApiPolicies.Admin).RequireRateLimiting(RateLimits.WritePolicy);

        return group;
    }

    public static async Task<DocumentResult> ListParties(ReferenceDocuments references, DocumentSerializer documents, CancellationToken ct)
    {
        const string sql = "SELECT code, name, colour FROM parties ORDER BY code";
        var document = await references.GetAsync(PartyListKey.Instance, async (connection, tx, token) =>
            documents.Render((await connection.QueryAsync<PartyInfo>(new CommandDefinition(sql, transaction: tx, cancellationToken: token))).Select(PartyResponse.From).ToArray()), ct);
        return new DocumentResult(document);
    }

    public static async Task<Results<Created<PartyResponse>, Ok<PartyResponse>, ValidationProblem>> PutParty(
        string code, PutPartyRequest request, PartyStore store, CancellationToken ct)
    {
        if (!IsPartyCode(code))
        {
            return Problems.Invalid("code", "Party codes are 1–60 characters with no control characters, slashes or outer spaces.");
        }

        var (party, created) = await store.PutAsync(code, request, ct);
        return created ? TypedResults.Created($"/v1/parties/{Uri.EscapeDataString(code)}", party) : TypedResults.Ok(party);
    }
}
