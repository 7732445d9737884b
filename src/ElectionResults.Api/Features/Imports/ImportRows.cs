namespace ElectionResults.Api.Features.Imports;

/// <summary>A problem with one line of an import file. Line 1 is the header; lines are physical lines of the file.</summary>
/// <param name="Line">1-based line number in the file (a quoted field spanning lines counts each line).</param>
/// <param name="Message">What is wrong, naming the column and the value.</param>
public sealed record ImportError(int Line, string Message);

/// <summary>A seat as a file describes it (its first row, for a candidates file).</summary>
public sealed record SeatRow(
    int Line, string Code, string Name, string County, string Region, string Country,
    long? Electorate, long? InvalidVotes, DateTimeOffset? DeclaredAt);

/// <summary>One candidate row of a candidates file.</summary>
/// <remarks>Description is the ballot-paper description the row implies beyond its party (see <see cref="KnownParties.Description"/>), or null.</remarks>
public sealed record CandidateRow(int Line, string Code, string Name, string PartyCode, string PartyName, long Votes)
{
    public string? Description => KnownParties.Description(PartyCode, PartyName);
}

/// <summary>The errors of an import: every one is counted, the first <see cref="MaxListed"/> (in line order) are kept.</summary>
public sealed class ImportErrors
{
    public const int MaxListed = 100;

    private readonly List<ImportError> _listed = [];

    public int Count { get; private set; }

    public IReadOnlyList<ImportError> Listed => _listed;

    public bool Any => Count > 0;

    public void Add(int line, string message)
    {
        Count++;
        if (_listed.Count < MaxListed)
        {
            _listed.Add(new ImportError(line, message));
            return;
        }

        // Full: keep the lowest lines. Errors arrive almost in line order, so this rarely replaces anything.
        var highest = 0;
        for (var i = 1; i < _listed.Count; i++)
        {
            if (_listed[i].Line > _listed[highest].Line)
            {
                highest = i;
            }
        }

        if (line < _listed[highest].Line)
        {
            _listed[highest] = new ImportError(line, message);
        }
    }

    public IReadOnlyList<ImportError> Sorted() => _listed.OrderBy(e => e.Line).ToArray();
}

/// <summary>A file read and checked row by row, before anything touches the database.</summary>
public sealed record ParsedImport(
    ImportFormat Format, string Encoding, int Rows, IReadOnlyList<SeatRow> Seats, IReadOnlyList<CandidateRow> Candidates, ImportErrors Errors);
