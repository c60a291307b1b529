using Embassy.Core;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Embassy.Data;

public static class DatabaseModule
{
    /// <summary>Used when Database:ServerVersion is not set, so that no connection is needed to build the model.</summary>
    public const string DefaultMySqlServerVersion = "10.11.0-mariadb";

    public static IHostApplicationBuilder AddEmbassyDatabase(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var provider = builder.Configuration.GetValue(DatabaseOptions.Section + ":Provider", DatabaseProvider.Sqlite);
        var connectionString = builder.Configuration.GetConnectionString("Default");
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                // Pooled: a request reuses a reset context instead of building one (measured on the API's cold path).
                builder.Services.AddDbContextPool<EmbassyDbContext, SqliteEmbassyDbContext>((sp, o) =>
                    o.UseSqlite(SqliteConnectionString(connectionString, sp.GetRequiredService<IOptions<EmbassyOptions>>().Value)));
                break;
            case DatabaseProvider.MySql:
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new InvalidOperationException(
                        "Database:Provider is MySql but ConnectionStrings:Default is empty: set it to the MariaDB/MySQL connection string.");
                }
                var versionText = builder.Configuration[DatabaseOptions.Section + ":ServerVersion"] ?? DefaultMySqlServerVersion;
                if (!ServerVersion.TryParse(versionText, out var serverVersion))
                {
                    throw new InvalidOperationException($"Database:ServerVersion '{versionText}' is not a server version like '10.11.0-mariadb' or '8.0.36-mysql'.");
                }
                builder.Services.AddDbContextPool<EmbassyDbContext, MySqlEmbassyDbContext>(o => o.UseMySql(MySqlConnectionString(connectionString), serverVersion));
                break;
            default:
                throw new InvalidOperationException($"Database:Provider must be Sqlite or MySql, not '{provider}'.");
        }
        return builder;
    }

    /// <summary>
    /// MySqlConnector resets a pooled connection each time it is taken from the pool, which costs the server
    /// work on every query; the application keeps no session state (its hints are per statement), so unless
    /// the connection string says otherwise the reset is off (bench/api.sh, cold list on MariaDB: about 10% more requests/s).
    /// </summary>
    public static string MySqlConnectionString(string configured)
    {
        var csb = new MySqlConnector.MySqlConnectionStringBuilder(configured);
        if (!csb.ContainsKey("Connection Reset"))
        {
            csb.ConnectionReset = false;
        }
        return csb.ConnectionString;
    }

    /// <summary>The embedded default: a file in the data directory unless a connection string says otherwise.</summary>
    public static string SqliteConnectionString(string? configured, EmbassyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var csb = new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(configured)
            ? $"Data Source={Path.Combine(options.DataDirectory, "embassy.db")}"
            : configured);
        if (!Path.IsPathRooted(csb.DataSource) && csb.DataSource != ":memory:")
        {
            csb.DataSource = Path.Combine(options.DataDirectory, csb.DataSource);
        }
        csb.Pooling = true;
        csb.DefaultTimeout = 30;
        return csb.ToString();
    }

    /// <summary>Brings the schema up to date (master only) and sets SQLite to WAL, so readers never wait for the writer.</summary>
    public static async Task MigrateAsync(EmbassyDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Provider == DatabaseProvider.Sqlite)
        {
            var path = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            await db.Database.CloseConnectionAsync();
        }
        await db.Database.MigrateAsync(cancellationToken);
    }
}
