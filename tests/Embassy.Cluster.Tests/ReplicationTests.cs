using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Embassy.Content.Services;
using Embassy.Testing;
using MySqlConnector;

namespace Embassy.Cluster.Tests;

public sealed class ReplicationTests : IAsyncLifetime
{
    private PairSite _pair = null!;
    private static readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false });

    public async Task InitializeAsync() => _pair = await PairSite.StartAsync();

    public async Task DisposeAsync() => await _pair.DisposeAsync();

    private static Task<TimeSpan> UntilAsync(string url, HttpStatusCode status, TimeSpan within) =>
        Eventually.TrueAsync(async () => (await _http.GetAsync(url)).StatusCode == status, $"{url} answers {status}", within, TimeSpan.FromMilliseconds(20));

    private static async Task<bool> FindsAsync(KestrelSite site, string q, string title)
    {
        var response = await _http.GetAsync(site.Url($"/api/v1/search?q={Uri.EscapeDataString(q)}&culture=en"));
        return response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync()).Contains(title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnItemPublishedOnTheMaster_IsFoundOnTheStandbyWithin5Seconds_AndARestartedStandbyCatchesUp()
    {
        await _pair.Standby.App.Services.GetRequiredService<Embassy.Search.SearchIndexer>().Ready.WaitAsync(TimeSpan.FromSeconds(30));
        await _pair.OnMasterAsync(c => c.CreateAsync(new NewContentItem("Alert", PairSite.Alert("Zebra crossing closed")) { Publish = true }, default));
        await Eventually.TrueAsync(() => FindsAsync(_pair.Standby, "zebras", "Zebra crossing closed"), "found on the standby", TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(50));
        var health = await _http.GetFromJsonAsync<JsonObject>(_pair.Standby.Url("/health/ready"));
        Assert.Equal(0, (int)health!["search"]!["lag"]!);

        // The standby stops; the master publishes meanwhile; started again on its data directory, the standby goes on
        // from the sequence its index had reached (the same index, not a rebuild) and finds what it missed.
        var standbyIndex = _pair.Standby.App.Services.GetRequiredService<Embassy.Search.SearchIndex>();
        var generation = standbyIndex.State.Split(':')[0];
        var dataDirectory = _pair.Standby.App.DataDirectory;
        await _pair.Standby.DisposeAsync();
        await _pair.OnMasterAsync(c => c.CreateAsync(new NewContentItem("Alert", PairSite.Alert("Okapi seen near the consulate")) { Publish = true }, default));
        await using var restarted = KestrelSite.Start(new EmbassyAppFactory(dataDirectory, settings: PairSite.StandbySettings(_pair.Databases, _pair.Master.Address)));
        await Eventually.TrueAsync(() => FindsAsync(restarted, "okapi", "Okapi seen near the consulate"), "the restarted standby caught up", TimeSpan.FromSeconds(15),
            TimeSpan.FromMilliseconds(50));
        Assert.Equal(generation, restarted.App.Services.GetRequiredService<Embassy.Search.SearchIndex>().State.Split(':')[0]);
        Assert.True(await FindsAsync(restarted, "zebra", "Zebra crossing closed"));
    }

    [Fact]
    public async Task PublishUnpublishAndDelete_OnTheMaster_ShowOnTheStandbyWithin2Seconds()
    {
        var item = await _pair.OnMasterAsync(c => c.CreateAsync(new NewContentItem("Alert", PairSite.Alert("Shelter in place")) { Publish = true }, default));
        var url = _pair.Standby.Url($"/api/v1/items/{item.ContentItemId}");
        await UntilAsync(url, HttpStatusCode.OK, TimeSpan.FromSeconds(2));
        var onStandby = await _http.GetFromJsonAsync<JsonObject>(url);
        Assert.Equal("Shelter in place", (string?)onStandby!["title"]);

        await _pair.OnMasterAsync(c => c.UnpublishAsync(item.ContentItemId, default));
        await UntilAsync(url, HttpStatusCode.NotFound, TimeSpan.FromSeconds(2));
        await _pair.OnMasterAsync(c => c.PublishAsync(item.ContentItemId, default));
        await UntilAsync(url, HttpStatusCode.OK, TimeSpan.FromSeconds(2));
        await _pair.OnMasterAsync(c => c.DeleteAsync(item.ContentItemId, default));
        await UntilAsync(url, HttpStatusCode.NotFound, TimeSpan.FromSeconds(2));

        // The change feed replicated with the data: the same sync answers, byte for byte, on both servers.
        await _pair.Databases.WaitForReplicaAsync();
        await Task.Delay(200); // one head poll
        var onMaster = await _http.GetStringAsync(_pair.Master.Url("/api/v1/sync?types=Alert"));
        var onStandbySync = await _http.GetStringAsync(_pair.Standby.Url("/api/v1/sync?types=Alert"));
        Assert.Equal(onMaster, onStandbySync);
        var token = (string)JsonNode.Parse(onMaster)!["token"]!;
        Assert.Equal(await _http.GetStringAsync(_pair.Master.Url($"/api/v1/sync?token={token}")),
            await _http.GetStringAsync(_pair.Standby.Url($"/api/v1/sync?token={token}")));
    }

    [Fact]
    public async Task AnImagesDerivative_HasTheSameETagAndBytes_OnMasterAndStandby_WithoutBeingCopied()
    {
        using var surface = SkiaSharp.SKSurface.Create(new SkiaSharp.SKImageInfo(1200, 800));
        surface.Canvas.Clear(SkiaSharp.SKColors.SteelBlue);
        using var encoded = surface.Snapshot().Encode(SkiaSharp.SKEncodedImageFormat.Jpeg, 90);
        var admin = await _pair.Master.SignInAsync();
        Assert.Equal(HttpStatusCode.Created, (await admin.PutAsync("/admin/api/media/news/pair.jpg", new ByteArrayContent(encoded.ToArray()))).StatusCode);
        const string derivative = "/media/news/pair.jpg?profile=card&rxy=0.3,0.4";
        await UntilAsync(_pair.Standby.Url(derivative), HttpStatusCode.OK, TimeSpan.FromSeconds(30));

        var onMaster = await _http.GetAsync(_pair.Master.Url(derivative));
        var onStandby = await _http.GetAsync(_pair.Standby.Url(derivative));
        Assert.Equal(HttpStatusCode.OK, onMaster.StatusCode);
        Assert.False(onMaster.Headers.ETag!.IsWeak);
        Assert.Equal(onMaster.Headers.ETag, onStandby.Headers.ETag);
        Assert.Equal(await onMaster.Content.ReadAsByteArrayAsync(), await onStandby.Content.ReadAsByteArrayAsync());
        // Each server made its own: derivatives are never synced.
        Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(_pair.Standby.App.DataDirectory, "image-cache"), "*", SearchOption.AllDirectories));
        // The app revalidates against either server with the ETag it has.
        var revalidate = new HttpRequestMessage(HttpMethod.Get, _pair.Standby.Url(derivative));
        revalidate.Headers.IfNoneMatch.Add(onMaster.Headers.ETag);
        Assert.Equal(HttpStatusCode.NotModified, (await _http.SendAsync(revalidate)).StatusCode);
    }

    [Fact]
    public async Task AVideoUploadedOnTheMaster_StreamsFromTheStandby_AndADownloadResumesThere()
    {
        var video = await TestVideos.SixtySecondsAsync();
        var bytes = await File.ReadAllBytesAsync(video);
        var admin = await _pair.Master.SignInAsync();
        Assert.Equal(HttpStatusCode.Created, (await admin.PutAsync("/admin/api/media/videos/drill.mp4", new ByteArrayContent(bytes))).StatusCode);

        var standbyUrl = _pair.Standby.Url("/media/videos/drill.mp4");
        var took = await UntilAsync(standbyUrl, HttpStatusCode.OK, TimeSpan.FromSeconds(30));
        Assert.True(took < TimeSpan.FromSeconds(30));

        // A download starts on the master...
        var first = new HttpRequestMessage(HttpMethod.Get, _pair.Master.Url("/media/videos/drill.mp4"));
        first.Headers.Range = new RangeHeaderValue(0, 999_999);
        var part1 = await _http.SendAsync(first);
        Assert.Equal(HttpStatusCode.PartialContent, part1.StatusCode);
        var etag = part1.Headers.ETag!;
        // ...and resumes on the standby: same ETag, so If-Range holds and the rest comes as 206.
        var second = new HttpRequestMessage(HttpMethod.Get, standbyUrl);
        second.Headers.Range = new RangeHeaderValue(1_000_000, null);
        second.Headers.IfRange = new RangeConditionHeaderValue(etag);
        var part2 = await _http.SendAsync(second);
        Assert.Equal(HttpStatusCode.PartialContent, part2.StatusCode);
        Assert.Equal(etag, part2.Headers.ETag);
        var joined = (await part1.Content.ReadAsByteArrayAsync()).Concat(await part2.Content.ReadAsByteArrayAsync()).ToArray();
        Assert.Equal(bytes, joined);

        // Deleted on the master: gone from the standby's API and from its disk.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/admin/api/media/videos/drill.mp4")).StatusCode);
        await UntilAsync(standbyUrl, HttpStatusCode.NotFound, TimeSpan.FromSeconds(15));
        var standbyFile = Path.Combine(_pair.Standby.App.DataDirectory, "media", "videos", "drill.mp4");
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (File.Exists(standbyFile) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        Assert.False(File.Exists(standbyFile), "the standby kept a file deleted on the master");
    }

    [Fact]
    public async Task TheStandby_RefusesWrites_EvenIfItsDatabaseUserIsAsked()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _http.PutAsync(_pair.Standby.Url("/admin/api/media/x.png"), new ByteArrayContent([1]))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync(_pair.Standby.Url("/admin/api/session"))).StatusCode);
        await using var connection = new MySqlConnection(_pair.Databases.StandbyConnectionString);
        await connection.OpenAsync();
        foreach (var sql in new[] { "UPDATE ContentItems SET DisplayText = 'x'", "DELETE FROM ChangeFeed", "CREATE TABLE Evil (Id INT)" })
        {
            await using var command = new MySqlCommand(sql, connection);
            var error = await Assert.ThrowsAsync<MySqlException>(() => command.ExecuteNonQueryAsync());
            // Refused by read_only or by the missing grant, whichever the server checks first: never written.
            Assert.True(error.Message.Contains("denied", StringComparison.OrdinalIgnoreCase) ||
                        error.Message.Contains("read-only", StringComparison.OrdinalIgnoreCase), error.Message);
        }
        var health = await _http.GetFromJsonAsync<JsonObject>(_pair.Standby.Url("/health/ready"));
        Assert.Equal("Healthy", (string?)health!["status"]);
        Assert.True((bool)health["readOnly"]!);
        Assert.True((bool)health["replication"]!["ioRunning"]!);
    }

    /// <summary>Operations issue: a promoted master whose database came back read-only answered Healthy while every write failed.</summary>
    [Fact]
    public async Task ADatabaseThatNoLongerSuitsTheRole_MakesTheServerNotReady()
    {
        await AssertNotReadyWhileAsync(_pair.Databases.Primary, "SET GLOBAL read_only=1", "SET GLOBAL read_only=0", _pair.Master.Url("/health/ready"),
            "this server's database is read-only (read_only=1): it takes no writes");
        await AssertNotReadyWhileAsync(_pair.Databases.Replica, "SET GLOBAL read_only=0", "SET GLOBAL read_only=1", _pair.Standby.Url("/health/ready"),
            "the database is writable (read_only=0): a standby must read a read-only replica");
    }

    /// <summary>#30: while the master's database takes no writes, every write is refused at once with the reason (not a
    /// form's check: the sign-in API and an upload alike); /health/live gives role, epoch and writable; and an editor who
    /// opens the standby's /admin is told where the CMI is, in Polish or English.</summary>
    [Fact]
    public async Task WhileTheMasterTakesNoWrites_EveryWriteIsRefusedWithTheReason_AndTheStandbysAdminSaysWhereTheCmiIs()
    {
        var live = await _http.GetFromJsonAsync<JsonObject>(_pair.Master.Url("/health/live"));
        Assert.Equal("Master", (string?)live!["role"]);
        await _pair.Databases.Primary.ExecuteAsync("SET GLOBAL read_only=1");
        try
        {
            // The writer monitor reads its database once a second.
            await Eventually.TrueAsync(async () => (await _http.PostAsJsonAsync(_pair.Master.Url("/admin/api/session"),
                new { userName = "admin", password = EmbassyAppFactory.AdminPassword })).StatusCode == HttpStatusCode.ServiceUnavailable, "the master refuses writes",
                TimeSpan.FromSeconds(10));
            Assert.False((bool?)(await _http.GetFromJsonAsync<JsonObject>(_pair.Master.Url("/health/live")))!["writable"]);
            foreach (var request in new[]
            {
                new HttpRequestMessage(HttpMethod.Post, _pair.Master.Url("/admin/api/session")) { Content = JsonContent.Create(new { userName = "admin", password = EmbassyAppFactory.AdminPassword }) },
                new HttpRequestMessage(HttpMethod.Put, _pair.Master.Url("/admin/api/media/docs/x.pdf")) { Content = new ByteArrayContent("%PDF-1.4"u8.ToArray()) },
            })
            {
                var response = await _http.SendAsync(request);
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
                Assert.Equal("ReadOnly", (string?)problem!["writerState"]);
                Assert.Contains("Nothing was changed: this server's database is read-only", (string?)problem["detail"], StringComparison.Ordinal);
            }
        }
        finally
        {
            await _pair.Databases.Primary.ExecuteAsync("SET GLOBAL read_only=0");
        }
        await Eventually.TrueAsync(async () => (await _http.PostAsJsonAsync(_pair.Master.Url("/admin/api/session"),
            new { userName = "admin", password = EmbassyAppFactory.AdminPassword })).StatusCode == HttpStatusCode.OK, "writes taken again", TimeSpan.FromSeconds(10));

        foreach (var (language, words) in new[] { ("pl", "Panel redakcyjny (CMI) jest tutaj"), ("en", "The CMI is here") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, _pair.Standby.Url("/admin/content/News"));
            request.Headers.AcceptLanguage.ParseAdd(language);
            var response = await _http.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode); // no CMI here, and a page that says where it is
            var page = await response.Content.ReadAsStringAsync();
            Assert.Contains(words, page, StringComparison.Ordinal);
            Assert.Contains(new Uri(_pair.Master.Address, "/admin").ToString(), page, StringComparison.Ordinal);
        }
    }

    private static async Task AssertNotReadyWhileAsync(MariaDbServer database, string change, string undo, string readyUrl, string problem)
    {
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync(readyUrl)).StatusCode);
        await database.ExecuteAsync(change);
        try
        {
            var response = await _http.GetAsync(readyUrl);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Contains(problem, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await database.ExecuteAsync(undo);
        }
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync(readyUrl)).StatusCode);
    }

    /// <summary>Operations issue: a corrupted copy on the standby was served (200, the right ETag) until a restart.</summary>
    [Fact]
    public async Task ACorruptedCopyOnTheStandby_IsNeverServed_AndIsFetchedAgain()
    {
        var bytes = "%PDF-1.4\n"u8.ToArray().Concat(Enumerable.Range(0, 50_000).Select(i => (byte)(i * 7))).ToArray();
        var admin = await _pair.Master.SignInAsync();
        Assert.Equal(HttpStatusCode.Created, (await admin.PutAsync("/admin/api/media/docs/visa.pdf", new ByteArrayContent(bytes))).StatusCode);
        var url = _pair.Standby.Url("/media/docs/visa.pdf");
        await UntilAsync(url, HttpStatusCode.OK, TimeSpan.FromSeconds(30));
        var copy = Path.Combine(_pair.Standby.App.DataDirectory, "media", "docs", "visa.pdf");

        // Silent corruption (same size, same time): the periodic verification finds it and fetches the file again.
        var written = File.GetLastWriteTimeUtc(copy);
        var corrupted = bytes.ToArray();
        corrupted[^10] ^= 0xFF;
        await File.WriteAllBytesAsync(copy, corrupted);
        File.SetLastWriteTimeUtc(copy, written);
        await Eventually.TrueAsync(async () => (await File.ReadAllBytesAsync(copy)).SequenceEqual(bytes), "the corrupted copy is replaced", TimeSpan.FromSeconds(20));

        // A copy that changed on disk is not served from here (the player goes to the master) until it is fetched again.
        await File.WriteAllBytesAsync(copy, bytes[..100]);
        var response = await _http.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect ||
            (response.StatusCode == HttpStatusCode.OK && (await response.Content.ReadAsByteArrayAsync()).SequenceEqual(bytes)), $"{response.StatusCode}");
        await Eventually.TrueAsync(async () => (await File.ReadAllBytesAsync(copy)).SequenceEqual(bytes), "the changed copy is replaced", TimeSpan.FromSeconds(20));
        await Eventually.TrueAsync(async () => await _http.GetAsync(url) is { StatusCode: HttpStatusCode.OK } r && (await r.Content.ReadAsByteArrayAsync()).SequenceEqual(bytes),
            "served from the standby again", TimeSpan.FromSeconds(20));
        var health = await _http.GetFromJsonAsync<JsonObject>(_pair.Standby.Url("/health/ready"));
        Assert.True((int)health!["mediaSync"]!["repaired"]! >= 2);
    }

    /// <summary>A database away for a moment is not a bug: 503 with Retry-After and a clear message, never a 500.</summary>
    [Fact]
    public async Task WhileTheDatabaseIsAway_RequestsThatNeedIt_Get503WithRetryAfter()
    {
        _pair.Databases.KillPrimary();
        try
        {
            var response = await _http.PostAsJsonAsync(_pair.Master.Url("/admin/api/session"), new { userName = "admin", password = EmbassyAppFactory.AdminPassword });
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
            Assert.Contains("The database does not answer at the moment", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await _pair.Databases.RestartPrimaryAsync();
        }
        await Eventually.TrueAsync(async () => (await _http.PostAsJsonAsync(_pair.Master.Url("/admin/api/session"),
            new { userName = "admin", password = EmbassyAppFactory.AdminPassword })).StatusCode == HttpStatusCode.OK, "sign-in works again", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task AServerWhoseDatabaseDoesNotSuitItsRole_RefusesToStart()
    {
        await using var standbyOnPrimary = new EmbassyAppFactory(TestSite.NewDataDirectory(), settings:
            new Dictionary<string, string?>(PairSite.StandbySettings(_pair.Databases, _pair.Master.Address))
            {
                ["ConnectionStrings:Default"] = _pair.Databases.MasterConnectionString,
            });
        var error = Assert.ThrowsAny<Exception>(() => standbyOnPrimary.CreateClient());
        Assert.Contains("Embassy:Role is Standby but ConnectionStrings:Default points at a writable server", error.ToString(), StringComparison.Ordinal);

        await using var masterOnReplica = new EmbassyAppFactory(TestSite.NewDataDirectory(),
            _pair.Databases.Replica.ConnectionString(MariaDbPair.Database, "embassy_master", "master-password"), PairSite.MasterSettings());
        error = Assert.ThrowsAny<Exception>(() => masterOnReplica.CreateClient());
        Assert.Contains("Embassy:Role is Master but ConnectionStrings:Default points at a read-only server", error.ToString(), StringComparison.Ordinal);
    }
}
