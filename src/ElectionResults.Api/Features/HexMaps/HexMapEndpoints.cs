using ElectionResults.Api.Infrastructure.Http;
using ElectionResults.Api.ReadModel;

namespace ElectionResults.Api.Features.HexMaps;

public static class HexMapEndpoints
{
    public static RouteGroupBuilder MapHexMaps(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/elections").WithTags("Elections");
        group.MapGet("/{electionId}/hexmap", GetHexMap)
            .WithName(nameof(GetHexMap))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Get the hex map of an election's constituencies")
            .WithDescription("""
                Each election belongs to a boundary set, the one that holds the most of its constituencies: `2010` (the
                2010–2023 constituencies: the 2010, 2015, 2017 and 2019 elections) or `2024` (the constituencies first used on
                4 July 2024); an election without constituencies yet belongs to `2024`. The answer is that set's hex map, one
                hex per constituency keyed by ONS code, in the `odd-r` layout: a hex at column `q`, row `r` (rows grow
                northwards), with odd rows (`r & 1`, negative rows included: the 2024 map's rows run from −46 to 0) shifted
                right by half a hex. Layouts by Open Innovations (MIT licence); show the `attribution` with the map.
                """)
            .ProducesDocument<HexMapResponse>();
        return group;
    }

    public static async Task<IResult> GetHexMap([AsParameters] ElectionRead read)
    {
        var found = await read.CurrentAsync();
        return found.Problem ?? read.Serve(found, HexMapKey.Instance, s =>
        {
            var map = BoundarySets.For(s.Seats.Select(seat => seat.Code), BoundarySets.All);
            return read.Documents.Render(new HexMapResponse(s.Election.Id, map.Boundaries, map.Layout, BoundarySets.Attribution, map.Hexes));
        });
    }
}
