using System.Globalization;
using ElectionResults.Api.Features.Figures;
using ElectionResults.Api.Features.TimeTravel;
using ElectionResults.Api.Infrastructure.Http;
using ElectionResults.Api.ReadModel;

namespace ElectionResults.Api.Features.Baselines;

/// <summary>
/// The <c>baseline</c> query parameter of the tallies and constituency lists: compare the seats with another election's
/// result in the same seats instead of the election's own baseline (its previous election, or its notional result).
/// </summary>
public static class BaselineParameter
{
    public const string Description =
        "Compare with this election's result instead (an election id, e.g. `ge2015` for `ge2019`): gains, holds, losses, net change, " +
        "share change and swing are then measured against it, seat by seat. Every seat of this election must be a seat of that one " +
        "(same ONS codes, so the same boundaries); otherwise, or when there is no such election, the answer is a 400 naming `baseline` " +
        "that says how many seats differ. Without it the election's own baseline is used (`baseline` in the body): its previous election, or " +
        "its notional result on these boundaries when it has one (ge2024: the 2019 votes estimated on the 2024 seats).";

    /// <summary>How many of the seats that are not the baseline's a problem names.</summary>
    public const int SeatsNamed = 3;

    /// <summary>
    /// The election's snapshot (now, or as of <paramref name="asOf"/>) compared with <paramref name="baseline"/>, or with its
    /// own baseline when that is null or the same. Null snapshot and no problem: there is no such election (a 404).
    /// </summary>
    public static async Task<(ElectionSnapshot? Snapshot, ValidationProblem? Problem)> ResolveAsync(
        SnapshotStore snapshots, PastSnapshots past, string electionId, DateTimeOffset? asOf, string? baseline, CancellationToken ct)
    {
        var state = await past.StateAsync(snapshots, electionId, asOf, null, ct);
        if (state is null || baseline is null || state.Election.Baseline is { Notional: false } own && own.ElectionId == baseline)
        {
            return (state, null);
        }

        var compared = await snapshots.GetAsync(baseline, ct);
        if (Check(state, baseline, compared) is { } message)
        {
            return (null, Problems.Invalid("baseline", message));
        }

        return (await past.StateAsync(snapshots, electionId, asOf, baseline, ct), null);
    }

    /// <summary>Why <paramref name="election"/> cannot be compared with <paramref name="baseline"/> (whose snapshot is <paramref name="compared"/>); null when it can.</summary>
    public static string? Check(ElectionSnapshot election, string baseline, ElectionSnapshot? compared)
    {
        ArgumentNullException.ThrowIfNull(election);
        var id = election.Election.Id;
        if (baseline == id)
        {
            return $"'{id}' cannot be compared with itself; name another election, or leave baseline out.";
        }

        if (compared is null)
        {
            return $"There is no election '{baseline}' to compare with.";
        }

        var missing = election.Seats.Where(s => !compared.SeatsByCode.ContainsKey(s.Code)).ToArray();
        if (missing.Length == 0)
        {
            return null;
        }

        var named = string.Join(", ", missing.Take(SeatsNamed).Select(s => $"{s.Code} {s.Name}"));
        var own = election.Election.Baseline switch
        {
            { Notional: true } b => $" Without baseline, '{id}' is compared with the notional result of '{b.ElectionId}' on its own boundaries.",
            { } b => $" Without baseline, '{id}' is compared with '{b.ElectionId}'.",
            null => "",
        };
        return string.Create(CultureInfo.InvariantCulture,
            $"{missing.Length:N0} of the {election.Seats.Count:N0} seats of '{id}' are not seats of '{baseline}' ({named}{(missing.Length > SeatsNamed ? ", …" : "")}): the boundaries differ, so the results cannot be compared seat by seat.{own}");
    }

    /// <summary>What a document's seats are compared with, as its body says.</summary>
    public static BaselineResponse? ToResponse(Baseline? baseline) => baseline is null ? null : new BaselineResponse(baseline.ElectionId, baseline.Notional);
}

/// <summary>What the seats are compared with: gains, holds, losses, net change, share change and swing are measured against it.</summary>
/// <param name="ElectionId">The election compared with: by default the previous election (`previousElectionId`), or the one asked for with `baseline`.</param>
/// <param name="Notional">True when the comparison is with the notional result of that election on this election's boundaries (the votes it would have given in these seats, estimated when the boundaries changed; for ge2024 Rallings &amp; Thrasher's estimates of 2019), not with its own seats.</param>
public sealed record BaselineResponse(string ElectionId, bool Notional);
