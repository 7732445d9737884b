using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ElectionResults.IntegrationTests.Hostile;

/// <summary>
/// A JSON object kept as (name, raw JSON text) pairs, so that a mutator can put anything in it: values of
/// the wrong type, numbers no .NET type holds, escapes no string can carry, or text that is not JSON at all.
/// </summary>
public sealed class JsonBody
{
    private readonly List<KeyValuePair<string, string>> _fields = [];

    public JsonBody() { }

    private JsonBody(IEnumerable<KeyValuePair<string, string>> fields) => _fields.AddRange(fields);

    public JsonBody Clone() => new(_fields);

    public IEnumerable<string> Names => _fields.Select(f => f.Key);

    /// <summary>Sets (or appends) a field to raw JSON text.</summary>
    public JsonBody Raw(string name, string raw)
    {
        var index = _fields.FindIndex(f => f.Key == name);
        if (index >= 0)
        {
            _fields[index] = new(name, raw);
        }
        else
        {
            _fields.Add(new(name, raw));
        }

        return this;
    }

    /// <summary>Appends a field even when the name is already there (a duplicated key).</summary>
    public JsonBody Append(string name, string raw)
    {
        _fields.Add(new(name, raw));
        return this;
    }

    public JsonBody Remove(string name)
    {
        _fields.RemoveAll(f => f.Key == name);
        return this;
    }

    public override string ToString() => "{" + string.Join(",", _fields.Select(f => $"{Str(f.Key)}:{f.Value}")) + "}";

    /// <summary>A JSON string literal.</summary>
    public static string Str(string value) => JsonSerializer.Serialize(value);

    public static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Arr(IEnumerable<string> raws) => "[" + string.Join(",", raws) + "]";

    public static string Obj(params (string Name, string Raw)[] fields) => "{" + string.Join(",", fields.Select(f => $"{Str(f.Name)}:{f.Raw}")) + "}";
}

/// <summary>The hostile values: injection strings and the wrong values for each kind of field.</summary>
public static class Values
{
    /// <summary>SQL, script and other injection strings. Every text field and path parameter gets each of them.</summary>
    public static readonly string[] Injections =
    [
        "'; DROP TABLE declarations; --",
        "' OR 1=1 --",
        "Robert'); DELETE FROM parties;--",
        "1; UPDATE data_version SET version = 0",
        "'; SELECT pg_sleep(5); --",
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "{{7*7}}${jndi:ldap://x/a}",
        "\u0000",
        "Mans\u0000field",
        "\u202Eevil",
    ];

    /// <summary>
    /// The injection strings that can travel in a path. A path with %00 never reaches the application: the test
    /// server refuses to build such a request, and Kestrel answers 400 itself.
    /// </summary>
    public static readonly string[] PathInjections = [.. Injections.Where(i => !i.Contains('\0', StringComparison.Ordinal))];

    /// <summary>JSON string literals that no .NET string or PostgreSQL text column can hold faithfully.</summary>
    public static readonly (string Name, string Raw)[] UnstorableStrings =
    [
        ("NUL", "\"\\u0000\""),
        ("embedded NUL", "\"Mans\\u0000field\""),
        ("lone high surrogate", "\"Mans\\ud800field\""),
        ("lone low surrogate", "\"\\udc00\""),
        ("reversed surrogate pair", "\"\\udc00\\ud800\""),
    ];

    /// <summary>Wrong JSON types for a string field.</summary>
    public static readonly string[] NotStrings = ["0", "-1", "1.5", "1e30", "true", "false", "[]", "{}", "[\"x\"]", "{\"a\":\"b\"}", "[[[]]]"];

    /// <summary>Wrong values for a whole-number field (counts of votes or electors), whatever its range.</summary>
    public static readonly string[] NotWholeNumbers =
    [
        "\"1\"", "\"\"", "true", "false", "[]", "{}", "[1]", "1.5", "1.0", "1e3", "7e4", "-0.5",
        "1e30", "-1e30", "9223372036854775808", "-9223372036854775809", "99999999999999999999999999999999999999",
        "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"0x10\"",
        // not JSON at all
        "NaN", "Infinity", "-Infinity", "0x10", "+1", "01", ".5", "1_000", "--1",
    ];

    /// <summary>Counts that are numbers but out of range for anything counted here.</summary>
    public static readonly string[] NegativeNumbers = ["-1", "-9223372036854775808", "-10000000"];

    public static readonly string[] NotBooleans = ["\"true\"", "\"false\"", "1", "0", "null", "[]", "{}", "\"yes\"", "True", "tru", "[true]"];

    public static readonly string[] NotDates =
    [
        "\"2017-13-01\"", "\"2017-02-30\"", "\"08/06/2017\"", "\"yesterday\"", "\"\"", "\"2017-6-8\"", "\"0000-00-00\"",
        "\"2017-06-08T25:00:00\"", "20170608", "true", "[]", "{}", "\"2017-06-08\\u0000\"",
    ];

    public static readonly string[] NotDateTimes =
    [
        "\"yesterday\"", "\"2019-13-01T00:00:00Z\"", "\"2019-02-30T00:00:00Z\"", "\"2019-12-13T25:61:00Z\"", "\"13/12/2019 02:00\"",
        "\"\"", "1576202400", "true", "[]", "{}", "\"2019-12-13T02:00:00+25:00\"", "\"now\"",
    ];

    /// <summary>Deeply nested JSON: objects and arrays far past the 32 levels the API reads.</summary>
    public static string Nested(int depth, bool arrays) => arrays
        ? new string('[', depth) + new string(']', depth)
        : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);

    public static string Filler(int length, char c = 'x') => new(c, length);

    /// <summary>Bytes that are not UTF-8 inside a JSON string.</summary>
    public static byte[] WithInvalidUtf8(string jsonPrefix, string jsonSuffix, byte[] junk) =>
        [.. Encoding.UTF8.GetBytes(jsonPrefix), .. junk, .. Encoding.UTF8.GetBytes(jsonSuffix)];
}
