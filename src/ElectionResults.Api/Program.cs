using ElectionResults.Api.Features.ApiKeys;
using ElectionResults.Api.Features.Areas;
using ElectionResults.Api.Features.Candidates;
using ElectionResults.Api.Features.Changes;
using ElectionResults.Api.Features.Constituencies;
using ElectionResults.Api.Features.Declarations;
using ElectionResults.Api.Features.Elections;
using ElectionResults.Api.Features.HexMaps;
using ElectionResults.Api.Features.Imports;
using ElectionResults.Api.Features.Pages;
using ElectionResults.Api.Features.Parties;
using ElectionResults.Api.Features.Replays;
using ElectionResults.Api.Features.Tallies;
using ElectionResults.Api.Features.TimeTravel;
using ElectionResults.Api.Infrastructure.Auth;
using ElectionResults.Api.Infrastructure.Database;
using ElectionResults.Api.Infrastructure.Health;
using ElectionResults.Api.Infrastructure.Hosting;
using ElectionResults.Api.Infrastructure.Http;
using ElectionResults.Api.Infrastructure.Observability;
using ElectionResults.Api.Infrastructure.OpenApi;
using ElectionResults.Api.ReadModel;

var (verb, rest) = Commands.Parse(args);
// Settings come from beside the binary, wherever it is started from (scripts, containers, a service manager).
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = rest, ContentRootPath = AppContext.BaseDirectory });
builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);

// PostgreSQL through one data source; DbUp migrations from db-migrations/.
builder.AddElectionDatabase();
// camelCase JSON, problem details for every error, health and Swagger.
builder.Services.AddElectionJson();
builder.Services.AddElectionProblemDetails();
builder.Services.AddElectionHealthChecks();
builder.Services.AddElectionOpenApi();
// Stores, validators, the snapshot cache and the demo loader.
builder.Services.AddElectionFeatures(builder.Configuration);
// API keys (the ApiKey authentication scheme) and the authorization policies: one per role, and the public-reads rule.
builder.Services.AddElectionAuth(builder.Configuration);
// Metrics on /metrics (OpenTelemetry), and the client's address from a known proxy's X-Forwarded-For.
builder.AddElectionTelemetry();
builder.Services.AddElectionForwardedHeaders(builder.Configuration);

var app = builder.Build();

// Behind a known proxy, the client's address (for the per-address read limit) comes from X-Forwarded-For.
app.UseForwardedHeaders();
// Polled documents that are known to be current are answered here, before routing and everything else.
app.UseMiddleware<HotDocumentsMiddleware>();
app.UseRouting();
// One audit line per write, accepted or refused, with its final status.
app.UseMiddleware<WriteAuditMiddleware>();
// Every error becomes problem details; nothing below may answer with a bare status or a stack trace.
app.UseExceptionHandler();
app.UseStatusCodePages();
// Refuse excess traffic first (the write limit is the endpoint's RequireRateLimiting), then check the key against the
// endpoint's policy before any body is read (401 and 403 problem details), then cap the body. The policies authenticate
// the key themselves: the scheme is no default, so UseAuthentication looks no key up; it stands here so that the
// framework does not add it at the front of the pipeline.
app.UseRateLimiter();
app.UseAuthentication();
app.UseAuthorization();
app.UseMiddleware<RequestBodyLimitMiddleware>();
// A document without a CSV form refuses a client that will take only CSV (406).
app.UseMiddleware<NotAcceptableMiddleware>();
app.UseElectionSwagger();

app.MapElectionHealthChecks();
app.MapElectionMetrics();
app.MapApiKeys();
app.MapElections();
app.MapHexMaps();
app.MapParties();
app.MapAreas();
app.MapConstituencies();
app.MapResultsCsv();
app.MapCandidates();
app.MapDeclarations();
app.MapImports();
app.MapTallies();
app.MapChanges();
app.MapReplays();
app.MapTimeline();
// The live results page and the results desk's page, with their assets.
app.MapPages();
// The endpoints join the pipeline here rather than when the host starts, so that the `openapi` verb, which never
// starts it, documents every one of them.
app.UseEndpoints(_ => { });

return await Commands.RunAsync(app, verb, rest);
