using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json;

namespace ElectionResults.Api.Infrastructure.Validation;

/// <summary>Validation errors name fields as they appear in the JSON body (<c>votes[2].candidateId</c>).</summary>
public static class CamelCasePropertyNames
{
    public static string? Resolve(Type type, MemberInfo? member, LambdaExpression? expression) =>
        member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name);
}
