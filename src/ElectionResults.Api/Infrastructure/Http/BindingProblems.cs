using System.Text.Json;
using System.Text.RegularExpressions;

namespace ElectionResults.Api.Infrastructure.Http;

/// <summary>
/// Says what was wrong with a request the framework could not bind, in the client's terms: the JSON field (as a
/// path, <c>votes[0].votes</c>) or the parameter, and the problem, never the C# types and parameter names of the
/// handler (<c>Failed to read parameter "PutPartyRequest request"</c>).
/// </summary>
public static partial class BindingProblems
{
    /// <summary>The field (empty for the body as a whole) and what is wrong with it.</summary>
    public static (string Field, string Message) Describe(BadHttpRequestException exception, Type? bodyType = null)
    {
        if (exception.InnerException is JsonException json)
        {
            var (field, problem) = DescribeJson(json, bodyType);
            return (field.Length > 0 ? field : "body", problem);
        }

        var message = exception.Message;
        if (BindParameter().Match(message) is { Success: true } bind)
        {
            var name = bind.Groups["name"].Value;
            return (name, $"'{bind.Groups["value"].Value}' is not {Expected(bind.Groups["type"].Value)}.");
        }

        if (RequiredParameter().Match(message) is { Success: true } required)
        {
            return (required.Groups["name"].Value, $"'{required.Groups["name"].Value}' is required.");
        }

        if (message.Contains("no body was provided", StringComparison.Ordinal) || message.Contains("body was not provided", StringComparison.Ordinal))
        {
            return ("", "A JSON body is required.");
        }

        if (message.StartsWith("Failed to read parameter", StringComparison.Ordinal))
        {
            return ("", "The body could not be read as JSON.");
        }

        return ("", message);
    }

    private static (string Field, string Message) DescribeJson(JsonException json, Type? bodyType)
    {
        var field = FieldOf(json.Path);
        var where = json.LineNumber is { } line ? $" (line {line + 1}, byte {json.BytePositionInLine + 1})" : "";
        var message = json.Message;
        if (Unmapped().Match(message) is { Success: true } unmapped)
        {
            var name = unmapped.Groups["name"].Value;
            return (string.IsNullOrEmpty(field) ? name : field, $"'{name}' is not a field of this request.");
        }

        if (message.Contains("could not be converted", StringComparison.Ordinal))
        {
            // The framework names the type it was building (often the whole request); the field's own type says more.
            var type = TypeAt(bodyType, field)?.Name ?? (ConvertedTo().Match(message) is { Success: true } converted ? converted.Groups["type"].Value : "");
            return (field, $"The value of '{(field.Length > 0 ? field : "the body")}' is not {Expected(type)}{where}.");
        }

        if (message.Contains("maximum configured depth", StringComparison.Ordinal))
        {
            return (field, $"The JSON is nested too deeply{where}.");
        }

        return (field, $"The body is not valid JSON{where}.");
    }

    /// <summary>The type of the handler's parameter that the body was read into (named in the framework's message).</summary>
    public static Type? BodyType(BadHttpRequestException exception, System.Reflection.MethodInfo? handler) =>
        handler is not null && ReadParameter().Match(exception.Message) is { Success: true } read
            ? handler.GetParameters().FirstOrDefault(p => p.Name == read.Groups["name"].Value)?.ParameterType
            : null;

    /// <summary>The type of the property at a field path (<c>votes[0].votes</c>) of <paramref name="root"/>, if there is one.</summary>
    public static Type? TypeAt(Type? root, string field)
    {
        var type = root;
        foreach (var segment in field.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            if (type is null)
            {
                return null;
            }

            var name = segment.Split('[')[0];
            var property = type.GetProperty(name, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase);
            type = property?.PropertyType;
            if (type is not null && segment.Contains('[', StringComparison.Ordinal))
            {
                type = type.IsArray ? type.GetElementType() : type.GetGenericArguments().FirstOrDefault();
            }
        }

        return type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
    }

    /// <summary><c>$.votes[0].votes</c> → <c>votes[0].votes</c>; <c>$</c> → empty.</summary>
    public static string FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    /// <summary>What a value of a C# type looks like on the wire (<c>System.Int64</c> → "a whole number").</summary>
    public static string Expected(string type)
    {
        // "long?", "Nullable<long>", "System.Nullable`1[System.Int64]" → "long" / "Int64".
        var name = Regex.Replace(type.Trim(), @"^(?:System\.)?Nullable(?:`1\[|<)(.*?)(?:\]|>)$", "$1").TrimEnd('?');
        name = name[(name.LastIndexOf('.') + 1)..];

        return name switch
        {
            "Int32" or "Int64" or "int" or "long" or "Int16" or "short" => "a whole number",
            "Decimal" or "Double" or "Single" or "decimal" or "double" or "float" => "a number",
            "Boolean" or "bool" => "true or false",
            "String" or "string" => "a string",
            "DateOnly" => "a date (YYYY-MM-DD)",
            "DateTimeOffset" or "DateTime" => "a date and time with offset (ISO 8601, 2017-06-09T04:17:00+01:00)",
            "Guid" => "a UUID",
            _ when name.Contains("List", StringComparison.Ordinal) || name.Contains("[]", StringComparison.Ordinal) || name.Contains("Enumerable", StringComparison.Ordinal) => "an array",
            _ => "an object of the documented shape",
        };
    }

    [GeneratedRegex("^Failed to bind parameter \"(?<type>[^\"]+) (?<name>[^\" ]+)\" from \"(?<value>.*)\"\\.?$", RegexOptions.Singleline)]
    private static partial Regex BindParameter();

    [GeneratedRegex("^Failed to read parameter \"(?<type>[^\"]+) (?<name>[^\" ]+)\"")]
    private static partial Regex ReadParameter();

    [GeneratedRegex("^Required parameter \"(?<type>[^\"]+) (?<name>[^\" ]+)\" was not provided")]
    private static partial Regex RequiredParameter();

    [GeneratedRegex("JSON property '(?<name>[^']*)' could not be mapped")]
    private static partial Regex Unmapped();

    [GeneratedRegex("could not be converted to (?<type>[^ .]+(\\.[^ .]+)*)")]
    private static partial Regex ConvertedTo();
}
