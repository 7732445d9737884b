using System.Globalization;
using System.Text.RegularExpressions;

namespace ElectionResults.IntegrationTests.Operations;

/// <summary>A /metrics scrape (Prometheus text format), read the way a Prometheus server reads it.</summary>
public sealed partial class Scrape
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _series = [];

    private Scrape(string text)
    {
        Text = text;
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var match = SeriesLine().Match(line);
            Assert.True(match.Success, $"not a Prometheus series line: {line}");
            var labels = LabelPair().Matches(match.Groups["labels"].Value)
                .ToDictionary(m => m.Groups["k"].Value, m => m.Groups["v"].Value);
            var value = match.Groups["value"].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                var v => double.Parse(v, CultureInfo.InvariantCulture),
            };
            _series.Add((match.Groups["name"].Value, labels, value));
        }
    }

    public string Text { get; }

    public static async Task<Scrape> FromAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/metrics", TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType ?? "", StringComparison.Ordinal);
        return new Scrape(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>The sum of every series of <paramref name="name"/> that carries all the given labels (0 when none does).</summary>
    public double Sum(string name, params (string Key, string Value)[] labels) =>
        Matching(name, labels).Sum(s => s.Value);

    public bool Has(string name) => _series.Any(s => s.Name == name);

    public IEnumerable<double> Values(string name, params (string Key, string Value)[] labels) => Matching(name, labels).Select(s => s.Value);

    private IEnumerable<(string Name, Dictionary<string, string> Labels, double Value)> Matching(string name, (string Key, string Value)[] labels) =>
        _series.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value));

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$""")]
    private static partial Regex SeriesLine();

    [GeneratedRegex(@"(?<k>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<v>(?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
