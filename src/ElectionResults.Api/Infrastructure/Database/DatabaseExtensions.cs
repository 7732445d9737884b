using Npgsql;

namespace ElectionResults.Api.Infrastructure.Database;

public static class DatabaseExtensions
{
    public const string ConnectionStringName = "Elections";

    /// <summary>One <see cref="NpgsqlDataSource"/> for the process; every operation opens a short-lived connection from it.</summary>
    public static WebApplicationBuilder AddElectionDatabase(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName);
        if (!IsUsable(connectionString))
        {
            // The OpenAPI generator and unit tests build the host without a database; a real start refuses a
            // missing or malformed connection string with one clear line instead (StartupChecks).
            connectionString = "Host=unconfigured.invalid;Database=elections";
        }

        builder.Services.AddNpgsqlDataSource(connectionString);
        builder.Services.AddSingleton<Migrator>();
        return builder;
    }

    private static bool IsUsable([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return false;
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            return false;
        }
    }
}
