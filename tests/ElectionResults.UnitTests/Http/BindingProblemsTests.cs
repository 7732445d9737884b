using ElectionResults.Api.Features.Declarations;
using ElectionResults.Api.Infrastructure.Http;
using Microsoft.AspNetCore.Http;

namespace ElectionResults.UnitTests.Http;

public sealed class BindingProblemsTests
{
    [Theory]
    [InlineData("long?", "a whole number")]
    [InlineData("Nullable<long>", "a whole number")]
    [InlineData("System.Nullable`1[System.Int64]", "a whole number")]
    [InlineData("System.String", "a string")]
    [InlineData("DateOnly?", "a date (YYYY-MM-DD)")]
    [InlineData("bool", "true or false")]
    public void Expected_values_are_named_in_json_terms(string type, string expected) =>
        Assert.Equal(expected, BindingProblems.Expected(type));

    [Fact]
    public void A_field_path_finds_the_property_type_through_lists()
    {
        Assert.Equal(typeof(long), BindingProblems.TypeAt(typeof(SubmitDeclarationRequest), "votes[0].votes"));
        Assert.Equal(typeof(string), BindingProblems.TypeAt(typeof(SubmitDeclarationRequest), "source"));
        Assert.Null(BindingProblems.TypeAt(typeof(SubmitDeclarationRequest), "nothing"));
    }

    [Fact]
    public void A_query_parameter_that_does_not_parse_is_named_without_its_csharp_type()
    {
        var (field, message) = BindingProblems.Describe(new BadHttpRequestException("Failed to bind parameter \"Nullable<long> since\" from \"yesterday\"."));
        Assert.Equal("since", field);
        Assert.Equal("'yesterday' is not a whole number.", message);
    }
}
