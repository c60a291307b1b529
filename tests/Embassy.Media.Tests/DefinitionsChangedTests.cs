using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Embassy.Core;
using Microsoft.EntityFrameworkCore;
using Embassy.Testing;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;

namespace Embassy.Media.Tests;

/// <summary>
/// The "definitions changed" and "media changed" events (#32): a media profile changed in the database by another server (as a standby
/// receives the master's row, with no call into this one) is used from the next head poll on — not after
/// <c>IndexCacheDuration</c>, set to its longest (10 minutes) here — by the profiles, the image catalog and the derivative
/// answers held in memory alike.
/// </summary>
public sealed class DefinitionsChangedTests
{
    [Fact]
    public async Task AProfileChangedInTheDatabase_IsServedWithinAPoll_NotAfterTheMediaCachesLifetime()
    {
        await using var site = KestrelSite.Start(await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite, new Dictionary<string, string?>
        {
            ["Embassy:Video:FfmpegPath"] = "/nonexistent/ffmpeg",
            ["Embassy:Media:IndexCacheDuration"] = "00:10:00", // its longest
            ["MobileApi:HeadPollInterval"] = "00:00:00.050",
        }));
        using var admin = await site.SignInAsync();
        using var anonymous = new HttpClient();
        Assert.Equal(HttpStatusCode.Created, (await admin.PutAsync("/admin/api/media/wide.jpg",
            new ByteArrayContent(TestImages.Jpeg(800, 600)) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } })).StatusCode);

        async Task ChangeInTheDatabaseAsync(int width, int height)
        {
            // What replication brings: the settings row and the head row's definitions version; no local invalidation.
            await using var scope = site.App.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<SiteSettingsStore>().MergeAsync(new JsonObject
            {
                ["MediaProfiles"] = new JsonObject { ["wide"] = new JsonObject { ["Width"] = width, ["Height"] = height, ["Mode"] = "Crop", ["Format"] = "Jpg" } },
            }, default);
        }
        var url = site.Url("/media/wide.jpg?profile=wide");
        async Task<(int, int)> SizeAsync()
        {
            var response = await anonymous.GetAsync(url);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return (0, 0);
            }
            var (_, w, h) = TestImages.Read(await response.Content.ReadAsByteArrayAsync());
            return (w, h);
        }

        await ChangeInTheDatabaseAsync(200, 100);
        await Eventually.TrueAsync(async () => await SizeAsync() == (200, 100), "the first profile is served", TimeSpan.FromSeconds(5));
        Assert.Equal((200, 100), await SizeAsync()); // now answered from memory too

        await ChangeInTheDatabaseAsync(120, 60);
        await Eventually.TrueAsync(async () => await SizeAsync() == (120, 60), "the changed profile is served within a poll", TimeSpan.FromSeconds(5));
        Assert.Equal((120, 60), await SizeAsync());
        Assert.Equal((SKEncodedImageFormat.Jpeg, 120, 60), TestImages.Read(await anonymous.GetByteArrayAsync(url)));
    }

    [Fact]
    public async Task AMediaRowChangedInTheDatabase_IsSeenWithinAPoll_NotAfterTheIndexCachesLifetime()
    {
        await using var site = KestrelSite.Start(await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite, new Dictionary<string, string?>
        {
            ["Embassy:Video:FfmpegPath"] = "/nonexistent/ffmpeg",
            ["Embassy:Media:IndexCacheDuration"] = "00:10:00",
            ["MobileApi:HeadPollInterval"] = "00:00:00.050",
        }));
        using var admin = await site.SignInAsync();
        using var anonymous = new HttpClient();
        Assert.Equal(HttpStatusCode.Created, (await admin.PutAsync("/admin/api/media/gone.jpg",
            new ByteArrayContent(TestImages.Jpeg(80, 60)) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } })).StatusCode);
        var url = site.Url("/media/gone.jpg");
        await Eventually.TrueAsync(async () => (await anonymous.GetAsync(url)).StatusCode == HttpStatusCode.OK, "the file is served", TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(url)).StatusCode); // its row is held in memory now

        // What replication brings when the master deletes it: the row gone and the media version moved; the file is
        // still on this server's disk, and nothing here was told.
        await using (var scope = site.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<EmbassyDbContext>();
            Assert.Equal(1, await db.Set<Embassy.Media.Data.MediaFileRecord>().Where(m => m.Path == "gone.jpg").ExecuteDeleteAsync());
            await scope.ServiceProvider.GetRequiredService<IMediaVersion>().BumpAsync(default);
        }
        await Eventually.TrueAsync(async () => (await anonymous.GetAsync(url)).StatusCode == HttpStatusCode.NotFound,
            "the deleted row is seen within a poll", TimeSpan.FromSeconds(5));
    }
}
