using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Embassy.Testing;

namespace Embassy.Cluster.Tests;

/// <summary>Fault drills: kill -9 the master application, then the primary database; the standby keeps serving.</summary>
public sealed class DrillTests
{
    [Fact]
    public async Task TheStandbyKeepsServing_WhenTheMasterAppAndThenThePrimaryDatabaseDie()
    {
        await using var databases = await MariaDbPair.StartAsync();
        var port = MariaDbServer.FreePort();
        var masterUrl = new Uri($"http://127.0.0.1:{port}/");
        var info = CmsProcess.StartInfo(TestSite.NewDataDirectory(), "--urls", masterUrl.ToString().TrimEnd('/'));
        info.Environment["Database__Provider"] = "MySql";
        info.Environment["ConnectionStrings__Default"] = databases.MasterConnectionString;
        info.Environment["Embassy__Cluster__SyncSecret"] = PairSite.Secret;
        info.Environment["Embassy__Setup__AdminPassword"] = EmbassyAppFactory.AdminPassword;
        info.Environment["Embassy__Security__RequireTwoFactorFor"] = ""; // a test instance: the drill signs in with the password
        info.Environment["Embassy__Video__FfmpegPath"] = "/nonexistent/ffmpeg";
        using var master = Process.Start(info)!;
        master.OutputDataReceived += (_, _) => { };
        master.ErrorDataReceived += (_, _) => { };
        master.BeginOutputReadLine();
        master.BeginErrorReadLine();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            await Eventually(async () => (await Try(() => http.GetAsync(new Uri(masterUrl, "/health/ready"))))?.StatusCode == HttpStatusCode.OK, "master up");
            // A file on the master, to be synced to the standby.
            var admin = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = masterUrl };
            var session = await (await admin.PostAsJsonAsync("/admin/api/session", new { userName = "admin", password = EmbassyAppFactory.AdminPassword }))
                .Content.ReadFromJsonAsync<JsonObject>();
            admin.DefaultRequestHeaders.Add("X-CSRF-TOKEN", (string)session!["antiforgeryToken"]!);
            var video = await File.ReadAllBytesAsync(await TestVideos.SixtySecondsAsync());
            Assert.Equal(HttpStatusCode.Created, (await admin.PutAsync("/admin/api/media/videos/drill.mp4", new ByteArrayContent(video))).StatusCode);
            await databases.WaitForReplicaAsync();

            await using var standby = KestrelSite.Start(new EmbassyAppFactory(TestSite.NewDataDirectory(),
                settings: PairSite.StandbySettings(databases, masterUrl)));
            await Eventually(async () => (await http.GetAsync(standby.Url("/media/videos/drill.mp4"))).StatusCode == HttpStatusCode.OK, "video synced");

            // Drill 1: kill -9 the master application.
            master.Kill();
            await master.WaitForExitAsync();
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(standby.Url("/api/v1/content/News?culture=en"))).StatusCode);
            Assert.Equal(video.Length, (await http.GetByteArrayAsync(standby.Url("/media/videos/drill.mp4"))).Length);

            // Drill 2: kill -9 the primary database. The standby serves from its replica; health tells.
            databases.KillPrimary();
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(standby.Url("/api/v1/content/Alert?culture=en"))).StatusCode);
            JsonObject? health = null;
            await Eventually(async () =>
            {
                var response = await http.GetAsync(standby.Url("/health/ready"));
                health = await response.Content.ReadFromJsonAsync<JsonObject>();
                return response.StatusCode == HttpStatusCode.ServiceUnavailable && (bool?)health!["replication"]?["ioRunning"] == false;
            }, "health reports the broken replication");
            Assert.Contains("replication is not running", health!["problems"]!.ToJsonString(), StringComparison.Ordinal);

            // Restart: replication reconnects and catches up; health returns to ready.
            await databases.RestartPrimaryAsync();
            // A write after the restart, so that "caught up" means the replica applied something new.
            await databases.Primary.ExecuteAsync("CREATE DATABASE drill_after_restart");
            await databases.WaitForReplicaAsync();
            await Eventually(async () => (await http.GetAsync(standby.Url("/health/ready"))).StatusCode == HttpStatusCode.OK, "health ready again");
        }
        finally
        {
            if (!master.HasExited)
            {
                master.Kill(entireProcessTree: true);
            }
        }
    }

    private static async Task<HttpResponseMessage?> Try(Func<Task<HttpResponseMessage>> request)
    {
        try
        {
            return await request();
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static Task<TimeSpan> Eventually(Func<Task<bool>> condition, string what) =>
        Embassy.Testing.Eventually.TrueAsync(condition, what, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));
}
