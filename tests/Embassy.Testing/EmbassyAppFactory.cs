using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Embassy.Testing;

/// <summary>The whole application (Program) on its own data directory and database, configured as an operator would.</summary>
public sealed class EmbassyAppFactory : WebApplicationFactory<Program>
{
    public const string AdminPassword = "Test-Admin-Password-1";

    private readonly Dictionary<string, string?> _settings;

    public EmbassyAppFactory(string dataDirectory, string? mySqlConnectionString = null, IDictionary<string, string?>? settings = null)
    {
        DataDirectory = dataDirectory;
        _settings = new Dictionary<string, string?>
        {
            ["Embassy:DataDirectory"] = dataDirectory,
            ["Embassy:DataProtectionKeyFile"] = TestSite.SharedDataProtectionKeyFile,
            ["Embassy:Setup:AdminPassword"] = AdminPassword,
            // The tests' own content (TestContent), never the product's starter content, whose dates and titles may change.
            ["Embassy:Setup:ContentRecipe"] = Paths.TestContentRecipe,
            ["Logging:LogLevel:Default"] = "Warning",
            // A test instance, as the configuration documents it: no second factor required (the security tests turn
            // it on), and sign-in attempts not throttled (tests sign in many times from one in-process "address").
            ["Embassy:Security:RequireTwoFactorFor"] = "",
            ["Embassy:Security:SignInAttemptsPerMinute"] = "100000",
        };
        if (mySqlConnectionString is not null)
        {
            _settings["Database:Provider"] = "MySql";
            _settings["ConnectionStrings:Default"] = mySqlConnectionString;
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public string DataDirectory { get; }

    /// <summary>
    /// The application's clock: a fixed day (<see cref="Today"/>), whatever the machine's date, moving 1 ms each time it
    /// is read (so versions still come in order). Tests move it on with <c>Advance</c>; the test content's dates
    /// (<see cref="TestContent"/>: an event on 2026-07-04, an alert until 2026-12-31) are then always ahead of it.
    /// </summary>
    public FakeTimeProvider Clock { get; } = new(Today) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };

    public static readonly DateTimeOffset Today = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Checks every public API response against the OpenAPI document; a mismatch fails the test at disposal.</summary>
    public ApiContract Contract { get; } = new();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Contract.ThrowIfViolated();
    }

    /// <summary>What a standby needs besides its role: the master's URL and the sync secret (checked at start).</summary>
    public static Dictionary<string, string?> StandbyOf(Uri masterUrl, IDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Embassy:Role"] = "Standby",
            ["Embassy:Cluster:MasterUrl"] = masterUrl?.ToString(),
            ["Embassy:Cluster:SyncSecret"] = "a-sync-secret-of-at-least-32-characters!",
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        return settings;
    }

    public static async Task<EmbassyAppFactory> CreateAsync(TestDatabase database, IDictionary<string, string?>? settings = null) =>
        new(TestSite.NewDataDirectory(), database == TestDatabase.MariaDb ? await SharedMariaDb.NewDatabaseAsync() : null, settings);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Testing");
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, TestClientAddress>();
            services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter>(Contract);
            services.AddSingleton<TimeProvider>(Clock);
        });
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
