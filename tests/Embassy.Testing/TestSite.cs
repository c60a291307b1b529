using Embassy.Cms;
using Embassy.Content;
using Embassy.Core;
using Embassy.Data;
using Embassy.Media;
using Embassy.Recipes;
using Embassy.Video;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Embassy.Testing;

/// <summary>
/// An isolated site built from the real modules (Orchard's tenant-per-test idea): its own data
/// directory and its own SQLite file or MariaDB database, migrated, empty.
/// </summary>
public sealed class TestSite : IAsyncDisposable
{
    private readonly IHost _host;

    private TestSite(IHost host, string dataDirectory, TestDatabase database, Microsoft.Extensions.Time.Testing.FakeTimeProvider clock)
    {
        _host = host;
        DataDirectory = dataDirectory;
        Database = database;
        Clock = clock;
    }

    /// <summary>The site's clock, as <see cref="EmbassyAppFactory.Clock"/>: a fixed day whatever the machine's date.</summary>
    public Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock { get; }

    public IServiceProvider Services => _host.Services;

    public string DataDirectory { get; }

    public string MediaDirectory => Path.Combine(DataDirectory, "media");

    public TestDatabase Database { get; }

    public static async Task<TestSite> CreateAsync(TestDatabase database, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var dataDirectory = NewDataDirectory();
        var config = new Dictionary<string, string?>
        {
            ["Embassy:DataDirectory"] = dataDirectory,
            ["Embassy:Role"] = "Master",
            ["Embassy:DataProtectionKeyFile"] = SharedDataProtectionKeyFile,
        };
        if (database == TestDatabase.MariaDb)
        {
            config["Database:Provider"] = "MySql";
            config["ConnectionStrings:Default"] = await SharedMariaDb.NewDatabaseAsync();
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            EnvironmentName = "Testing",
            ContentRootPath = dataDirectory,
        });
        builder.Configuration.AddInMemoryCollection(config);
        builder.Logging.ClearProviders();
        builder.AddContentCore(); // the server's own module list (EmbassyModules), without its HTTP surface
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(EmbassyAppFactory.Today) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };
        builder.Services.AddSingleton<TimeProvider>(clock);
        services?.Invoke(builder.Services);
        var host = builder.Build();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await DatabaseModule.MigrateAsync(scope.ServiceProvider.GetRequiredService<EmbassyDbContext>(), CancellationToken.None);
        }
        return new TestSite(host, dataDirectory, database, clock);
    }

    /// <summary>Runs <paramref name="work"/> with services from a fresh scope (a new DbContext, as a request would have).</summary>
    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public Task WithScopeAsync(Func<IServiceProvider, Task> work) =>
        WithScopeAsync(async sp => { await work(sp); return true; });

    /// <summary>
    /// The data-protection key file every test server shares, as the two servers of a pair share theirs: a sign-in, a
    /// webhook secret made on one test server opens on another of the same database (DataProtectionTests gives servers
    /// different files on purpose).
    /// </summary>
    public static string SharedDataProtectionKeyFile => Path.Combine(Path.GetTempPath(), "embassy-tests", "data-protection.key");

    public static string NewDataDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "embassy-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return directory;
    }

    public async ValueTask DisposeAsync()
    {
        _host.Dispose();
        await Task.Yield();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS's /tmp cleaning.
        }
    }
}
