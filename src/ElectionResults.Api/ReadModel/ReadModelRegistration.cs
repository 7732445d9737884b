namespace ElectionResults.Api.ReadModel;

public static class ReadModelRegistration
{
    /// <summary>
    /// The read model: the version clock and the seat change log, fed by the change listener; the snapshot cache and the
    /// reference documents; the front door; the idle eviction. Nothing is loaded until it is first read.
    /// </summary>
    public static IServiceCollection AddReadModel(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ReadModelOptions>(configuration.GetSection(ReadModelOptions.Section));
        services.AddSingleton<VersionClock>();
        services.AddSingleton<SeatChangeLog>();
        services.AddSingleton<ChangeListener>();
        services.AddHostedService(sp => sp.GetRequiredService<ChangeListener>());
        services.AddSingleton<SnapshotStore>();
        services.AddSingleton<ReferenceDocuments>();
        services.AddSingleton<HotDocuments>();
        services.AddSingleton<IdleEviction>();
        services.AddHostedService(sp => sp.GetRequiredService<IdleEviction>());
        return services;
    }
}
