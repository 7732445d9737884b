using ElectionResults.Api.Features.Areas;
using ElectionResults.Api.Features.Candidates;
using ElectionResults.Api.Features.Constituencies;
using ElectionResults.Api.Features.Declarations;
using ElectionResults.Api.Features.Demo;
using ElectionResults.Api.Features.Elections;
using ElectionResults.Api.Features.Imports;
using ElectionResults.Api.Features.Parties;
using ElectionResults.Api.Features.Replays;
using ElectionResults.Api.Features.TimeTravel;
using ElectionResults.Api.Infrastructure.Database;
using ElectionResults.Api.Infrastructure.Http;
using ElectionResults.Api.Infrastructure.Validation;
using ElectionResults.Api.ReadModel;
using FluentValidation;

namespace ElectionResults.Api.Infrastructure.Hosting;

public static class ServiceRegistration
{
    public static IServiceCollection AddElectionFeatures(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddElectionRateLimits(configuration);
        services.AddValidatorsFromAssemblyContaining<DemoData>(ServiceLifetime.Singleton);
        ValidatorOptions.Global.PropertyNameResolver = CamelCasePropertyNames.Resolve;

        services.AddReadModel(configuration);
        services.AddSingleton<WriteTransactions>();
        services.AddSingleton<DocumentSerializer>();
        services.AddSingleton<PastSnapshots>();
        services.AddSingleton<ElectionStore>();
        services.AddSingleton<ConstituencyStore>();
        services.AddSingleton<CandidateStore>();
        services.AddSingleton<AreaStore>();
        services.AddSingleton<PartyStore>();
        services.AddSingleton<DeclarationStore>();
        services.AddSingleton<DemoData>();
        services.Configure<ImportOptions>(configuration.GetSection(ImportOptions.Section));
        services.AddSingleton<Importer>();
        services.AddSingleton<ExpectedTimesImport>();
        services.AddSingleton<NotionalImport>();
        services.Configure<ReplayOptions>(configuration.GetSection(ReplayOptions.Section));
        services.AddSingleton<ReplayStore>();
        services.AddHostedService<ReplayPlayer>();
        return services;
    }
}
