using Npgsql;

namespace ElectionResults.Api.Infrastructure.Database;

public static class DatabaseExtensions
{
    public const string ConnectionStringName = "Elections";

    /// <summary>One <see cref="NpgsqlDataSource"/> for the process; every operation opens a short-lived connection from it.</summary>
    public static WebApplicationBuilder AddElectionDatabase(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            // The OpenAPI generator and unit tests build the host without a database; a real start fails early instead.
            connectionString = "Host=unconfigured.invalid;Database=elections";
        }

        builder.Services.AddNpgsqlDataSource(connectionString);
        builder.Services.AddSingleton<Migrator>();
        return builder;
    }

    public static bool HasConnectionString(this IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration.GetConnectionString(ConnectionStringName));
}
