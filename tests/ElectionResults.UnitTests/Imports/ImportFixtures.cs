namespace ElectionResults.UnitTests.Imports;

/// <summary>
/// The small CSV files in tests/fixtures/imports, found by walking up from the test binary to the
/// repository (they are shared by the unit and integration tests, so they are not copied into either).
/// </summary>
public static class ImportFixtures
{
    public const string Candidates2015 = "hoc-candidates-2015.csv";
    public const string Candidates2017 = "hoc-candidates-2017.csv";
    public const string Constituencies2017 = "hoc-constituencies-2017.csv";
    public const string ElectoralCommission2015 = "ec-constituencies-2015.csv";

    private static readonly Lazy<string> Directory = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "fixtures", "imports");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"tests/fixtures/imports was not found above {AppContext.BaseDirectory}.");
    });

    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(Directory.Value, name));
}
