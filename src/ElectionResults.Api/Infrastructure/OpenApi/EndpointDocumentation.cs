namespace ElectionResults.Api.Infrastructure.OpenApi;

/// <summary>A response header an endpoint sends with one of its statuses, for the OpenAPI document.</summary>
/// <param name="StatusCode">The status the header comes with.</param>
/// <param name="Name">Header name (<c>ETag</c>).</param>
/// <param name="Description">What it carries.</param>
/// <param name="Required">True when every response with that status carries it.</param>
public sealed record ResponseHeaderMetadata(int StatusCode, string Name, string Description, bool Required);

/// <summary>A real CSV answer of an endpoint that also speaks <c>text/csv</c>, shown as the example of that media type.</summary>
/// <param name="Example">The CSV text, header line first.</param>
public sealed record CsvExampleMetadata(string Example);

public static class EndpointDocumentationExtensions
{
    /// <summary>Documents a header that the endpoint sends with <paramref name="statusCode"/>.</summary>
    public static TBuilder ProducesHeader<TBuilder>(this TBuilder builder, int statusCode, string name, string description, bool required = true)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ResponseHeaderMetadata(statusCode, name, description, required));

    /// <summary>Gives the endpoint's <c>text/csv</c> answer an example.</summary>
    public static TBuilder WithCsvExample<TBuilder>(this TBuilder builder, string example)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new CsvExampleMetadata(example));
}
