using System.Text.Json;
using ElectionResults.Api.Features.ApiKeys;
using ElectionResults.Api.Features.Areas;
using ElectionResults.Api.Features.Candidates;
using ElectionResults.Api.Features.Constituencies;
using ElectionResults.Api.Features.Declarations;
using ElectionResults.Api.Features.Elections;
using ElectionResults.Api.Features.Parties;
using ElectionResults.Api.Infrastructure.Http;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ElectionResults.Api.Infrastructure.OpenApi;

/// <summary>
/// Real examples from the 2017 general election (Mansfield, the BBC's East Midlands patch, the Mansfield correction)
/// for the request bodies, written by the API's own serializer so that they are exactly what it reads.
/// </summary>
internal sealed class ExampleSchemaFilter : ISchemaFilter
{
    private static readonly JsonSerializerOptions Json = CreateOptions();

    /// <summary>One example value per documented type.</summary>
    public static readonly IReadOnlyDictionary<Type, object> Examples = new Dictionary<Type, object>
    {
        [typeof(PutElectionRequest)] = new PutElectionRequest("UK general election 2017", new DateOnly(2017, 6, 8), "general", "ge2015"),
        [typeof(CertifyElectionRequest)] = new CertifyElectionRequest("Returning officers' declarations, checked against the Electoral Commission's returns"),
        [typeof(PutPartyRequest)] = new PutPartyRequest("Conservative", "#0087DC"),
        [typeof(PutAreaRequest)] = new PutAreaRequest("BBC East Midlands", "custom", ["E14000810", "E14000546", "E14000560"]),
        [typeof(PutConstituencyRequest)] = new PutConstituencyRequest("Mansfield", 77811, ["east-midlands", "bbc-east-midlands"], new DateTimeOffset(2017, 6, 9, 4, 15, 0, TimeSpan.FromHours(1))),
        [typeof(NominationRequest)] = new NominationRequest("Ben Bradley", "Con"),
        [typeof(CandidateVote)] = new CandidateVote(3101, 23392),
        [typeof(SubmitDeclarationRequest)] = new SubmitDeclarationRequest(
            "declared",
            [new CandidateVote(3101, 23392), new CandidateVote(3102, 22335), new CandidateVote(3103, 2654), new CandidateVote(3104, 1079), new CandidateVote(3105, 697)],
            99,
            new DateTimeOffset(2017, 6, 9, 4, 17, 0, TimeSpan.FromHours(1)),
            "Returning officer, Mansfield",
            "Correction: the returning officer announced the wrong winner; Ben Bradley (Con) was elected with a majority of 1,057."),
        [typeof(CreateApiKeyRequest)] = new CreateApiKeyRequest("results-desk-1", "results-entry"),
    };

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is OpenApiSchema concrete && Examples.TryGetValue(context.Type, out var example))
        {
            concrete.Example = JsonSerializer.SerializeToNode(example, context.Type, Json);
        }
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        JsonSetup.Configure(options);
        // A request example leaves out what it does not use.
        options.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
        return options;
    }
}
