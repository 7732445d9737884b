namespace ElectionResults.Api.Infrastructure.Http;

/// <summary>The problem documents the features return, worded once.</summary>
public static class Problems
{
    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(title: "Not found", detail: detail, statusCode: StatusCodes.Status404NotFound);

    /// <summary>The 404 of an election id that names no election.</summary>
    public static ProblemHttpResult NoElection(string electionId) => NotFound(NoElectionDetail(electionId));

    /// <summary>How a missing election is worded, wherever it is missing (a 404, a field of a 400, a command's error).</summary>
    public static string NoElectionDetail(string electionId) => $"There is no election '{electionId}'.";

    /// <summary>The 404 of an area id that names no area of the election.</summary>
    public static ProblemHttpResult NoArea(string electionId, string areaId) => NotFound(NoAreaDetail(electionId, areaId));

    public static string NoAreaDetail(string electionId, string areaId) => $"Election '{electionId}' has no area '{areaId}'.";

    /// <summary>The 404 of a constituency code that is not a seat of the election.</summary>
    public static ProblemHttpResult NoConstituency(string electionId, string code) => NotFound($"Election '{electionId}' has no constituency '{code}'.");

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(title: "Conflict", detail: detail, statusCode: StatusCodes.Status409Conflict);

    public static ProblemHttpResult PreconditionFailed(string detail) =>
        TypedResults.Problem(title: "Precondition failed", detail: detail, statusCode: StatusCodes.Status412PreconditionFailed);

    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    public static ValidationProblem Invalid(IDictionary<string, string[]> errors) => TypedResults.ValidationProblem(errors);
}
