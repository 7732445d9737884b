using System.Net;
using System.Net.Http.Json;
using System.Text;
using ElectionResults.Api.Features.Imports;
using ElectionResults.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static ElectionResults.IntegrationTests.Imports.ImportClient;

namespace ElectionResults.IntegrationTests.Imports;

/// <summary>Whatever is wrong with an import, the answer says what and the database is exactly as before.</summary>
public sealed class ImportRejectionTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const int Limit = 20 * 1024 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<ImportProblemDto> RejectedAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.ReadAsync<ImportProblemDto>();
    }

    [Fact]
    public async Task A_file_with_one_bad_row_is_rejected_whole_naming_its_line_and_changes_nothing()
    {
        await api.PutElectionAsync("corrupt");
        await api.ImportAsync("corrupt", Constituencies2017);
        var before = await api.DumpDatabaseAsync();
        // Line 30: Iain Stewart (Con), Milton Keynes South.
        var corrupted = WithLine(Candidates2017, 30, line => line.Replace(",30652,", ",-30652,", StringComparison.Ordinal));

        var problem = await RejectedAsync(await api.Admin.PostImportAsync("corrupt", "hoc-candidates", corrupted), HttpStatusCode.UnprocessableEntity);

        Assert.Equal(1, problem.ErrorCount);
        var error = Assert.Single(problem.Errors!);
        Assert.Equal(30, error.Line);
        Assert.Contains("'votes' value '-30652'", error.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was imported", problem.Detail, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, await api.DumpDatabaseAsync());
    }

    [Fact]
    public async Task Only_the_first_100_problems_are_listed_but_all_are_counted()
    {
        await api.PutElectionAsync("many-errors");
        var rows = Enumerable.Range(0, 150).Select(i => $"E14000662,E12000004,Derby North,Derbyshire,East Midlands,England,Borough,Labour,Lab,Candidate,{i},Male,No,No,lots,0,0");
        var file = Encoding.UTF8.GetBytes(string.Join('\n', [Encoding.UTF8.GetString(Fixture(Candidates2017)).Split('\n')[0], .. rows]));

        var problem = await RejectedAsync(await api.Admin.PostImportAsync("many-errors", "hoc-candidates", file), HttpStatusCode.UnprocessableEntity);

        Assert.Equal(150, problem.ErrorCount);
        Assert.Equal(Enumerable.Range(2, 100), problem.Errors!.Select(e => e.Line));
        Assert.Contains("first 100", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_candidates_of_a_declared_seat_cannot_change_through_an_import()
    {
        await api.PutElectionAsync("declared");
        await api.ImportAsync("declared", Candidates2017);
        var before = await api.DumpDatabaseAsync();
        var renamed = WithLine(Candidates2017, 26, line => line.Replace(",Chris,Williamson,", ",Christopher,Williamson,", StringComparison.Ordinal));

        var problem = await RejectedAsync(await api.Admin.PostImportAsync("declared", "hoc-candidates", renamed), HttpStatusCode.UnprocessableEntity);

        Assert.Equal([26, 26], problem.Errors!.Select(e => e.Line));
        Assert.Contains("no candidacy Christopher Williamson (Lab)", problem.Errors![0].Message + problem.Errors[1].Message, StringComparison.Ordinal);
        Assert.Equal(before, await api.DumpDatabaseAsync());
    }

    [Fact]
    public async Task A_nomination_missing_from_the_file_stops_the_import()
    {
        await api.PutElectionAsync("extra-nomination");
        await api.ImportAsync("extra-nomination", Constituencies2017);
        Assert.True((await api.Admin.PutAsJsonAsync("/v1/parties/Lab", new { name = "Labour", colour = "#E4003B" }, Ct)).IsSuccessStatusCode);
        Assert.True((await api.Admin.PostAsJsonAsync("/v1/elections/extra-nomination/constituencies/E14000662/candidates", new { name = "Someone Else", party = "Lab" }, Ct)).IsSuccessStatusCode);
        var before = await api.DumpDatabaseAsync();

        var problem = await RejectedAsync(await api.Admin.PostImportAsync("extra-nomination", "hoc-candidates", Fixture(Candidates2017)), HttpStatusCode.UnprocessableEntity);

        var error = Assert.Single(problem.Errors!);
        Assert.Equal(26, error.Line); // the first row of Derby North
        Assert.Contains("Someone Else (Lab", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await api.DumpDatabaseAsync());
    }

    [Fact]
    public async Task Without_an_api_key_the_answer_is_401()
    {
        await api.PutElectionAsync("no-key");

        var response = await api.Client.PostImportAsync("no-key", "hoc-candidates", Fixture(Candidates2017));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, (await api.TallyAsync("no-key")).Declared);
    }

    [Fact]
    public async Task An_unknown_election_is_404()
    {
        var problem = await RejectedAsync(await api.Admin.PostImportAsync("nowhere", "hoc-candidates", Fixture(Candidates2017)), HttpStatusCode.NotFound);

        Assert.Contains("PUT /v1/elections/nowhere", problem.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("hoc")]
    public async Task A_missing_or_unknown_format_is_400(string? format)
    {
        await api.PutElectionAsync("bad-format");

        var response = await api.Admin.PostImportAsync("bad-format", format, Fixture(Candidates2017));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("hoc-candidates, hoc-constituencies, ec-constituencies", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/plain")]
    [InlineData("multipart/form-data; boundary=x")]
    public async Task A_body_that_is_not_text_csv_is_415(string contentType)
    {
        await api.PutElectionAsync("not-csv");

        await RejectedAsync(await api.Admin.PostImportAsync("not-csv", "hoc-candidates", Fixture(Candidates2017), contentType: contentType), HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Text_csv_with_a_charset_is_accepted()
    {
        await api.PutElectionAsync("charset");

        var response = await api.Admin.PostImportAsync("charset", "hoc-candidates", Fixture(Candidates2017), contentType: "text/csv; charset=utf-8");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_before_it_is_read()
    {
        await api.PutElectionAsync("too-big");

        var response = await api.Admin.PostImportAsync("too-big", "hoc-candidates", new byte[Limit + 1]);

        await RejectedAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task A_streamed_body_without_a_length_is_cut_off_at_the_limit()
    {
        await api.PutElectionAsync("streamed");
        using var content = new StreamContent(new GarbageStream(50L * 1024 * 1024));
        content.Headers.ContentType = new("text/csv");

        var response = await api.Admin.PostAsync("/v1/elections/streamed/imports?format=hoc-candidates", content, Ct);

        await RejectedAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Garbage_under_the_limit_is_422_on_line_1()
    {
        await api.PutElectionAsync("garbage");
        var garbage = new byte[5 * 1024 * 1024];
        new Random(7).NextBytes(garbage);

        var problem = await RejectedAsync(await api.Admin.PostImportAsync("garbage", "hoc-candidates", garbage), HttpStatusCode.UnprocessableEntity);

        Assert.Equal(1, Assert.Single(problem.Errors!).Line);
    }

    [Fact]
    public async Task The_import_command_prints_the_summary_or_the_errors()
    {
        await api.PutElectionAsync("cli");
        var dir = Directory.CreateTempSubdirectory("import-cli-");
        try
        {
            var good = Path.Combine(dir.FullName, Candidates2017);
            var bad = Path.Combine(dir.FullName, "bad.csv");
            await File.WriteAllBytesAsync(good, Fixture(Candidates2017), Ct);
            await File.WriteAllBytesAsync(bad, WithLine(Candidates2017, 30, line => line.Replace(",30652,", ",-1,", StringComparison.Ordinal)), Ct);

            var (code, output, errors) = await RunAsync("--election", "cli", "--format", "hoc-candidates", good);
            Assert.Equal(0, code);
            Assert.Contains("revisions added 9", output, StringComparison.Ordinal);

            (code, output, _) = await RunAsync(good, "--format=hoc-candidates", "--election=cli");
            Assert.Equal(0, code);
            Assert.Contains("nothing changed", output, StringComparison.Ordinal);

            (code, _, errors) = await RunAsync("--election", "cli", "--format", "hoc-candidates", bad);
            Assert.Equal(1, code);
            Assert.Contains("line 30: 'votes' value '-1'", errors, StringComparison.Ordinal);

            Assert.Equal(1, (await RunAsync("--election", "nowhere", "--format", "hoc-candidates", good)).Code);
            Assert.Equal(2, (await RunAsync("--election", "cli", "--format", "csv", good)).Code);
            Assert.Equal(2, (await RunAsync("--election", "cli", "--format", "hoc-candidates", Path.Combine(dir.FullName, "missing.csv"))).Code);
            Assert.Equal(2, (await RunAsync("--election", "cli", good)).Code);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private async Task<(int Code, string Output, string Errors)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var code = await ImportCommand.RunAsync(api.Factory.Services, args, output, errors, Ct);
        return (code, output.ToString(), errors.ToString());
    }

    /// <summary>A body of unknown length (no Content-Length): bytes until <paramref name="length"/>.</summary>
    private sealed class GarbageStream(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            buffer.AsSpan(offset, n).Fill((byte)'x');
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
