using System.Globalization;
using ElectionResults.Api.Infrastructure.Http;
using Microsoft.Extensions.Options;

namespace ElectionResults.Api.Features.Imports;

/// <summary>
/// <c>import --election ge2017 --format hoc-candidates FILE [--source NAME]</c>: the import endpoint as a
/// command of the API binary. Prints the summary; on failure prints the errors and exits non-zero
/// (1 for a rejected file or a missing election, 2 for a usage error).
/// </summary>
public static class ImportCommand
{
    public const string EnteredBy = "import";
    private const string Usage = "usage: import --election ELECTION --format hoc-candidates|hoc-constituencies|hoc-candidates-2024|hoc-constituencies-2019|ec-constituencies [--source NAME] FILE";

    public static async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken ct)
    {
        if (Parse(args) is not { } request)
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }

        if (ImportFormat.Find(request.Format) is not { } format)
        {
            await error.WriteLineAsync($"Unknown format '{request.Format}'; use one of: {ImportFormat.Names}.");
            return 2;
        }

        var file = new FileInfo(request.File);
        if (!file.Exists)
        {
            await error.WriteLineAsync($"There is no file '{request.File}'.");
            return 2;
        }

        var limit = services.GetRequiredService<IOptions<ImportOptions>>().Value.MaxBytes;
        if (file.Length > limit)
        {
            await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{file.Name} is {file.Length:N0} bytes; an import file may be at most {limit:N0} (Imports__MaxBytes)."));
            return 1;
        }

        var bytes = await File.ReadAllBytesAsync(file.FullName, ct);
        var importer = services.GetRequiredService<Importer>();
        var outcome = await importer.ImportAsync(request.Election, format, bytes, request.Source ?? file.Name, EnteredBy, ct);
        if (outcome.ElectionMissing)
        {
            await error.WriteLineAsync($"{Problems.NoElectionDetail(request.Election)} Create it first (PUT /v1/elections/{request.Election}).");
            return 1;
        }

        if (outcome.Summary is not { } summary)
        {
            await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{file.Name} was not imported: {outcome.ErrorCount:N0} problem(s){(outcome.ErrorCount > outcome.Errors.Count ? $", the first {outcome.Errors.Count} listed" : "")}."));
            foreach (var problem in outcome.Errors)
            {
                await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  line {problem.Line}: {problem.Message}"));
            }

            return 1;
        }

        await output.WriteLineAsync(Describe(summary, file.Name));
        return 0;
    }

    public static string Describe(ImportSummary s, string fileName) => string.Create(CultureInfo.InvariantCulture, $"""
        Imported {fileName} into {s.ElectionId} as {s.Format} ({s.Encoding}): {s.Rows} rows, {s.Seats} seats, {s.Candidates} candidates.
          revisions added {s.RevisionsAdded}, constituencies added {s.ConstituenciesCreated}, candidacies created {s.CandidaciesCreated},
          areas created {s.AreasCreated}, parties created {s.PartiesCreated}, electorates set {s.ElectoratesSet}{(s.Changed ? "" : " (nothing changed)")}.
        """);

    private sealed record Request(string Election, string Format, string File, string? Source);

    /// <summary>Options as <c>--name value</c> or <c>--name=value</c> in any order; the one other argument is the file.</summary>
    private static Request? Parse(IReadOnlyList<string> args)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var files = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                files.Add(arg);
                continue;
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                options[arg[2..equals]] = arg[(equals + 1)..];
            }
            else if (i + 1 < args.Count)
            {
                options[arg[2..]] = args[++i];
            }
            else
            {
                return null;
            }
        }

        // Other options are configuration (e.g. --ConnectionStrings:Elections=...), which the host has read already.
        if (files.Count != 1 || !options.TryGetValue("election", out var election) || !options.TryGetValue("format", out var format))
        {
            return null;
        }

        return new Request(election, format, files[0], options.GetValueOrDefault("source"));
    }
}
