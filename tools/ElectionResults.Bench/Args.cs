using System.Globalization;

namespace ElectionResults.Bench;

/// <summary>
/// The options of a subcommand: <c>--name value</c> pairs (a name given more than once keeps every value, in order)
/// and the words that are not options.
/// </summary>
internal sealed class Args
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    public Args(IEnumerable<string> args)
    {
        using var words = args.GetEnumerator();
        while (words.MoveNext())
        {
            var word = words.Current;
            if (!word.StartsWith("--", StringComparison.Ordinal))
            {
                Positional.Add(word);
                continue;
            }

            if (!words.MoveNext())
            {
                throw new UsageException($"{word} needs a value");
            }

            var name = word[2..];
            if (!_values.TryGetValue(name, out var list))
            {
                _values[name] = list = [];
            }

            list.Add(words.Current);
        }
    }

    public List<string> Positional { get; } = [];

    public string Required(string name) => Optional(name) ?? throw new UsageException($"--{name} is required");

    public string? Optional(string name) => _values.TryGetValue(name, out var list) ? list[^1] : null;

    public IReadOnlyList<string> All(string name) => _values.TryGetValue(name, out var list) ? list : [];

    public int Int(string name, int fallback) =>
        Optional(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) =>
        Optional(name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;

    public long? Long(string name) =>
        Optional(name) is { Length: > 0 } text ? long.Parse(text, CultureInfo.InvariantCulture) : null;

    /// <summary>A comma-separated list of process ids (empty entries skipped).</summary>
    public IReadOnlyList<int> Pids(string name) =>
        [.. All(name).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(v => int.Parse(v, CultureInfo.InvariantCulture))];

    public IReadOnlyList<string> List(string name) =>
        [.. All(name).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
}

internal sealed class UsageException(string message) : Exception(message);
