using System.Text.Json.Nodes;
using Embassy.Content.Services;
using Embassy.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.Cluster.Tests;

/// <summary>A MariaDB pair with a master and a standby application on it, as in production but on one machine.</summary>
public sealed class PairSite : IAsyncDisposable
{
    public const string Secret = "a-sync-secret-of-at-least-32-characters!";

    private PairSite(MariaDbPair databases, KestrelSite master, KestrelSite standby)
    {
        Databases = databases;
        Master = master;
        Standby = standby;
    }

    public MariaDbPair Databases { get; }

    public KestrelSite Master { get; }

    public KestrelSite Standby { get; }

    public static async Task<PairSite> StartAsync()
    {
        var databases = await MariaDbPair.StartAsync();
        var master = KestrelSite.Start(new EmbassyAppFactory(TestSite.NewDataDirectory(), databases.MasterConnectionString, MasterSettings()));
        await databases.WaitForReplicaAsync(); // the schema and the starter content reach the replica
        var standby = KestrelSite.Start(new EmbassyAppFactory(TestSite.NewDataDirectory(), settings: StandbySettings(databases, master.Address)));
        return new PairSite(databases, master, standby);
    }

    public static Dictionary<string, string?> MasterSettings() => new()
    {
        ["Embassy:Cluster:SyncSecret"] = Secret,
        ["MobileApi:HeadPollInterval"] = "00:00:00.050",
        ["Embassy:Video:FfmpegPath"] = "/nonexistent/ffmpeg",
    };

    public static Dictionary<string, string?> StandbySettings(MariaDbPair databases, Uri master) => new()
    {
        ["Embassy:Role"] = "Standby",
        ["Database:Provider"] = "MySql",
        ["ConnectionStrings:Default"] = databases.StandbyConnectionString,
        ["Embassy:Cluster:MasterUrl"] = master.ToString(),
        ["Embassy:Cluster:SyncSecret"] = Secret,
        ["Embassy:Cluster:SyncInterval"] = "00:00:00.200",
        ["Embassy:Cluster:VerifyInterval"] = "00:00:02", // every copy hashed again every 2 s (the tests' files are small)
        ["MobileApi:HeadPollInterval"] = "00:00:00.050",
    };

    public async Task<T> OnMasterAsync<T>(Func<ContentManager, Task<T>> work)
    {
        await using var scope = Master.App.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<ContentManager>());
    }

    public static JsonObject Alert(string title) => new()
    {
        ["TitlePart"] = new JsonObject { ["Title"] = title },
        ["LocalizationPart"] = new JsonObject { ["Culture"] = "en" },
        ["Alert"] = new JsonObject { ["Severity"] = new JsonObject { ["Text"] = "critical" } },
    };

    public async ValueTask DisposeAsync()
    {
        await Standby.DisposeAsync();
        await Master.DisposeAsync();
        await Databases.DisposeAsync();
    }
}
