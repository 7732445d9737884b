using ElectionResults.Api.Features.Declarations;
using Microsoft.AspNetCore.Http.HttpResults;
using static ElectionResults.Api.Features.Declarations.DeclarationRefusal;

namespace ElectionResults.UnitTests.Declarations;

/// <summary>Each refusal of a declaration as the problem details the API answers.</summary>
public sealed class DeclarationRefusalTests
{
    public static TheoryData<DeclarationRefusal, int, string, string> Problems => new()
    {
        { new ElectionNotFound("ge2017"), 404, "Not found", "There is no election 'ge2017'." },
        { new SeatNotFound("ge2017", "E1"), 404, "Not found", "Election 'ge2017' has no constituency 'E1'." },
        {
            new IdempotencyKeyReused(), 422, "Idempotency-Key reused",
            "This Idempotency-Key was used for a different request. Use a new key for a new declaration."
        },
        {
            new StaleETag("E1", 3), 412, "Precondition failed",
            "The result of 'E1' has changed since you read it (it is now revision 3). Read it again and send its current ETag."
        },
        {
            new StaleETag("E1", null), 412, "Precondition failed",
            "The result of 'E1' has changed since you read it (it is now revision none). Read it again and send its current ETag."
        },
        { new NothingToRetract("E1"), 409, "Conflict", "'E1' is not declared; there is nothing to retract." },
        {
            new ElectionCertified("ge2017", new DateTimeOffset(2017, 6, 10, 12, 0, 0, TimeSpan.FromHours(1))), 409, "Conflict",
            "Election 'ge2017' is certified (since 2017-06-10T11:00:00Z): its results are final and no declaration is accepted. An admin may withdraw the certification (DELETE /v1/elections/ge2017/certification) to correct them."
        },
        {
            new IfMatchRequired("E1", true, 2), 409, "Conflict",
            "A retraction of 'E1' must send If-Match with the constituency document's ETag and a reason."
        },
        {
            new IfMatchRequired("E1", false, 2), 409, "Conflict",
            "'E1' already has a declaration (revision 2). To correct it, send If-Match with the constituency document's ETag and a reason."
        },
    };

    [Theory]
    [MemberData(nameof(Problems))]
    public void A_refusal_is_a_problem_with_its_status_title_and_detail(DeclarationRefusal refusal, int status, string title, string detail)
    {
        var problem = Assert.IsType<ProblemHttpResult>(DeclarationEndpoints.Refused(refusal).Result).ProblemDetails;

        Assert.Equal((status, title, detail), (problem.Status!.Value, problem.Title!, problem.Detail!));
        Assert.Empty(problem.Extensions);
    }

    [Fact]
    public void A_missing_reason_is_a_validation_problem_on_reason()
    {
        var problem = Assert.IsType<ValidationProblem>(DeclarationEndpoints.Refused(new ReasonRequired()).Result).ProblemDetails;

        Assert.Equal(400, problem.Status);
        Assert.Equal(new Dictionary<string, string[]> { ["reason"] = ["A correction or recount must say why (reason)."] }, problem.Errors);
    }

    [Fact]
    public void Wrong_candidacies_are_a_validation_problem_with_every_field()
    {
        var errors = new Dictionary<string, string[]> { ["votes[2].candidateId"] = ["a"], ["votes"] = ["b"] };

        var problem = Assert.IsType<ValidationProblem>(DeclarationEndpoints.Refused(new CandidaciesInvalid(errors)).Result).ProblemDetails;

        Assert.Equal(400, problem.Status);
        Assert.Equal(errors, problem.Errors);
    }
}
