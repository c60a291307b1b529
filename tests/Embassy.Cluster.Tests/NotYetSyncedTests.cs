using System.Net;
using Embassy.Testing;

namespace Embassy.Cluster.Tests;

public sealed class NotYetSyncedTests
{
    [Fact]
    public async Task AFileNotYetOnTheStandby_RedirectsToTheMaster_Or503WhenTheMasterIsAway()
    {
        await using var databases = await MariaDbPair.StartAsync();
        var master = KestrelSite.Start(new EmbassyAppFactory(TestSite.NewDataDirectory(), databases.MasterConnectionString, PairSite.MasterSettings()));
        await databases.WaitForReplicaAsync();
        // A standby whose media sync runs once at start and then not for ten minutes.
        var settings = PairSite.StandbySettings(databases, master.Address);
        settings["Embassy:Cluster:SyncInterval"] = "00:10:00";
        settings["Embassy:Cluster:MasterLostAfter"] = "00:00:08";
        settings["Embassy:Media:IndexCacheDuration"] = "00:00:00"; // the new row is seen at once
        await using var standby = KestrelSite.Start(new EmbassyAppFactory(TestSite.NewDataDirectory(), settings: settings));
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(standby.Url("/health/live"))).StatusCode);
        // "/" says what each server is: the master links its CMI, the standby says it has none.
        var standbyHome = await http.GetStringAsync(standby.Url("/"));
        Assert.Contains("<strong>Standby</strong>", standbyHome, StringComparison.Ordinal);
        Assert.Contains("switched off", standbyHome, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/admin\"", standbyHome, StringComparison.Ordinal);
        var masterHome = await http.GetStringAsync(master.Url("/"));
        Assert.Contains("<strong>Master</strong>", masterHome, StringComparison.Ordinal);
        Assert.Contains("href=\"/admin\"", masterHome, StringComparison.Ordinal);
        Assert.Contains("href=\"/openapi/v1.json\"", masterHome, StringComparison.Ordinal);
        await Task.Delay(500); // the first sync pass has seen the master

        var admin = await master.SignInAsync();
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
        Assert.Equal(HttpStatusCode.Created, (await admin.PutAsync("/admin/api/media/late.png", new ByteArrayContent(png))).StatusCode);
        await databases.WaitForReplicaAsync();

        var redirect = await http.GetAsync(standby.Url("/media/late.png"));
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal(master.Url("/media/late.png"), redirect.Headers.Location!.ToString());
        Assert.Equal(png, await http.GetByteArrayAsync(redirect.Headers.Location));

        var metrics = await http.GetStringAsync(standby.Url("/metrics"));
        Assert.Contains("embassy_active_streams", metrics, StringComparison.Ordinal);
        Assert.Contains("embassy_media_sync_backlog", metrics, StringComparison.Ordinal);
        Assert.Contains("http_requests_received_total", metrics, StringComparison.Ordinal);

        await master.DisposeAsync(); // the master goes away
        await Task.Delay(9_000); // the standby stops redirecting MasterLostAfter (8 s here) after it last saw the master
        var unavailable = await http.GetAsync(standby.Url("/media/late.png"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(10), unavailable.Headers.RetryAfter?.Delta);
    }
}
