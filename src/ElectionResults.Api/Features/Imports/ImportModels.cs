namespace ElectionResults.Api.Features.Imports;

/// <summary>What an import did. Importing the same file again reports zero for everything it added or created.</summary>
/// <param name="ElectionId">The election imported into.</param>
/// <param name="Format">`hoc-candidates`, `hoc-constituencies`, `hoc-candidates-2024`, `hoc-constituencies-2019`, `ec-constituencies`, `expected-times` or `notional-results`.</param>
/// <param name="Source">The source recorded on the revisions this import added (publisher and file name).</param>
/// <param name="Encoding">How the file was read: `utf-8`, or `windows-1252` when the bytes were not valid UTF-8.</param>
/// <param name="Rows">Data rows read (blank lines and the Electoral Commission's total line are not rows).</param>
/// <param name="Seats">Constituencies in the file.</param>
/// <param name="Candidates">Candidate rows in the file (0 for the constituency formats).</param>
/// <param name="RevisionsAdded">Declaration revisions added: a first declaration, or a new revision where the stored result differs from the file.</param>
/// <param name="AreasCreated">Nations, regions and counties created for this election.</param>
/// <param name="PartiesCreated">Parties created (existing parties are never changed).</param>
/// <param name="ConstituenciesCreated">Constituencies added to this election.</param>
/// <param name="CandidaciesCreated">Candidacies created (nominations already entered are matched by name and party and reused).</param>
/// <param name="ElectoratesSet">Seats whose electorate at this election was set or changed.</param>
/// <param name="Changed">False when the file matched the stored data exactly and nothing was written.</param>
/// <param name="ExpectedTimesSet">Seats whose expected declaration time was set, changed or cleared (`expected-times` only; 0 otherwise).</param>
/// <param name="NotionalLinesAdded">Lines of the notional previous result stored (`notional-results` only: a party's or an independent's estimated votes in a seat; 0 otherwise).</param>
public sealed record ImportSummary(
    string ElectionId, string Format, string Source, string Encoding, int Rows, int Seats, int Candidates, int RevisionsAdded,
    int AreasCreated, int PartiesCreated, int ConstituenciesCreated, int CandidaciesCreated, int ElectoratesSet, bool Changed, int ExpectedTimesSet = 0, int NotionalLinesAdded = 0);

/// <summary>The outcome of an import: a summary, or the errors that stopped it (nothing was written), or no such election.</summary>
public sealed record ImportOutcome(ImportSummary? Summary, IReadOnlyList<ImportError> Errors, int ErrorCount, bool ElectionMissing)
{
    public static ImportOutcome Missing { get; } = new(null, [], 0, true);

    public static ImportOutcome Failed(IReadOnlyList<ImportError> errors, int count) => new(null, errors, count, false);

    public static ImportOutcome Done(ImportSummary summary) => new(summary, [], 0, false);
}

public sealed class ImportOptions
{
    public const string Section = "Imports";

    /// <summary>The largest file an import accepts (<c>Imports__MaxBytes</c>); the real files are under 1 MB.</summary>
    public long MaxBytes { get; set; } = 20 * 1024 * 1024;
}
