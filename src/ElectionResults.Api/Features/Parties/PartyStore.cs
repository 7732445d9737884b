using Dapper;
using ElectionResults.Api.Features.Figures;
using ElectionResults.Api.Infrastructure.Database;

namespace ElectionResults.Api.Features.Parties;

public sealed class PartyStore(WriteTransactions writes)
{
    /// <summary>Creates or replaces a party (its colour in upper case); whether it is new. The caller has checked the code's form.</summary>
    public async Task<(PartyResponse Party, bool Created)> PutAsync(string code, PutPartyRequest request, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO parties (code, name, colour) VALUES (@code, @Name, @Colour)
            ON CONFLICT (code) DO UPDATE SET name = excluded.name, colour = excluded.colour
            RETURNING (xmax = 0)
            """;

        var party = PartyResponse.From(new PartyInfo(code, request.Name, request.Colour.ToUpperInvariant()));
        await using var write = await writes.BeginAsync(ct);
        var (connection, tx) = (write.Connection, write.Transaction);
        var created = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(sql, new { code, Name = party.PartyName, party.Colour }, tx, cancellationToken: ct));
        await write.CommitAsync(ct);
        return (party, created);
    }
}
