using System.Net;
using System.Net.Http.Headers;
using Embassy.Core;
using Embassy.Media.Images;
using Embassy.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Embassy.Media.Tests;

/// <summary>
/// #33: /media through the front (deploy/nginx/embassy-front.conf run by Debian's nginx): the app decides every file
/// answer and nginx sends the bytes from the data directory (X-Accel-Redirect), with the app's ETag, Last-Modified,
/// type and security headers, ranges checked against the app's validators (range-check.sh, 0 failed); image
/// derivatives are kept by the front and answer while the app is away.
/// </summary>
public sealed class MediaFrontTests
{
    private static readonly string HostileName = "docs/Kraków plan #1 100%.png";

    [Fact]
    public async Task ThroughTheFront_FilesAreSentByNginx_WithTheAppsValidators_AndDerivativesOutliveTheApp()
    {
        var site = KestrelSite.Start(await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite, new Dictionary<string, string?>
        {
            ["Embassy:Proxy:KnownProxies:0"] = "127.0.0.1",
            ["Embassy:Video:FfmpegPath"] = "/nonexistent/ffmpeg", // the files, not packaging
            ["Embassy:Media:Images:NewDerivativesPerMinute"] = "100000",
        }));
        var appStopped = false;
        try
        {
            using var admin = await site.SignInAsync();
            var video = await TestVideos.SixtySecondsAsync();
            var videoBytes = await File.ReadAllBytesAsync(video);
            var photo = TestImages.Jpeg(800, 600);
            var pixel = TestImages.Png(20, 10);
            foreach (var (path, bytes) in new[] { ("videos/intro.mp4", videoBytes), ("news/photo.jpg", photo), (HostileName, pixel) })
            {
                using var upload = await admin.PutAsync("/admin/api/media/" + Escaped(path), new ByteArrayContent(bytes));
                Assert.True(upload.StatusCode == HttpStatusCode.Created, $"{path}: {(int)upload.StatusCode} {await upload.Content.ReadAsStringAsync()}");
            }
            var services = site.App.Services;
            using var front = await NginxFront.StartAsync(site.Address, services.GetRequiredService<IOptions<EmbassyOptions>>().Value.MediaDirectory,
                services.GetRequiredService<DerivativeCache>().Directory);
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

            // The app's answer to the front is headers only, naming the file; nginx sends it with the app's headers.
            using (var asked = new HttpRequestMessage(HttpMethod.Get, site.Url("/media/videos/intro.mp4")))
            {
                asked.Headers.Add(FrontSendfile.RequestHeader, FrontSendfile.RequestValue);
                using var decided = await client.SendAsync(asked);
                Assert.Equal("/_embassy/files/media/videos/intro.mp4", decided.Headers.GetValues("X-Accel-Redirect").Single());
                Assert.Empty(await decided.Content.ReadAsByteArrayAsync());
            }
            using var direct = await client.GetAsync(site.Url("/media/videos/intro.mp4"));
            using var sent = await client.GetAsync(front.Url("/media/videos/intro.mp4"));
            Assert.True(sent.StatusCode == HttpStatusCode.OK, $"{(int)sent.StatusCode}: {front.ErrorLog}");
            Assert.Equal(videoBytes, await sent.Content.ReadAsByteArrayAsync());
            Assert.Equal(direct.Headers.ETag, sent.Headers.ETag);
            Assert.Equal(direct.Content.Headers.LastModified, sent.Content.Headers.LastModified);
            Assert.Equal("video/mp4", sent.Content.Headers.ContentType!.MediaType);
            Assert.False(sent.Headers.Contains("X-Accel-Redirect"));
            Assert.Equal(MediaSecurity.ContentSecurityPolicy, sent.Headers.GetValues("Content-Security-Policy").Single());
            Assert.Equal("nosniff", sent.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal(direct.Headers.CacheControl, sent.Headers.CacheControl);

            // Ranges and validators, as range-check.sh checks them on the app alone.
            var (exit, output, _) = await TestVideos.RunAsync("bash", Paths.RangeCheck, front.Url("/media/videos/intro.mp4"), video);
            Assert.True(exit == 0 && output.TrimEnd().EndsWith(" 0 failed", StringComparison.Ordinal), output + front.ErrorLog);
            using (var matching = new HttpRequestMessage(HttpMethod.Get, front.Url("/media/videos/intro.mp4")))
            {
                matching.Headers.IfMatch.Add(direct.Headers.ETag!);
                matching.Headers.Range = new RangeHeaderValue(0, 99);
                using var resumed = await client.SendAsync(matching);
                Assert.Equal(HttpStatusCode.PartialContent, resumed.StatusCode);
                Assert.Equal(videoBytes[..100], await resumed.Content.ReadAsByteArrayAsync());
            }
            using (var modified = new HttpRequestMessage(HttpMethod.Get, front.Url("/media/videos/intro.mp4")))
            {
                modified.Headers.IfModifiedSince = direct.Content.Headers.LastModified;
                using var notModified = await client.SendAsync(modified);
                Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
                Assert.Equal(direct.Headers.ETag, notModified.Headers.ETag);
            }

            // A name with a space, '#', '%' and a Polish letter ('?' is refused at upload) reaches the disk as it is named.
            using var hostile = await client.GetAsync(front.Url("/media/" + Escaped(HostileName)));
            Assert.True(hostile.StatusCode == HttpStatusCode.OK, $"{(int)hostile.StatusCode}: {await hostile.Content.ReadAsStringAsync()} {front.ErrorLog}");
            Assert.Equal(pixel, await hostile.Content.ReadAsByteArrayAsync());
            // Every range after the first was the same decision, remembered (FrontAnswers); a file replaced is decided again.
            Assert.True(services.GetRequiredService<Embassy.Media.Services.FrontAnswers>().Served > 10);
            var replacement = TestImages.Png(30, 10);
            Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("/admin/api/media/" + Escaped(HostileName) + "?overwrite=true", new ByteArrayContent(replacement))).StatusCode);
            using var replaced = await client.GetAsync(front.Url("/media/" + Escaped(HostileName)));
            Assert.Equal(replacement, await replaced.Content.ReadAsByteArrayAsync());
            Assert.NotEqual(hostile.Headers.ETag, replaced.Headers.ETag);
            using var missing = await client.GetAsync(front.Url("/media/news/none.jpg"));
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Equal("application/problem+json", missing.Content.Headers.ContentType!.MediaType);
            using var inside = await client.GetAsync(front.Url("/_embassy/files/media/news/photo.jpg"));
            Assert.Equal(HttpStatusCode.NotFound, inside.StatusCode); // the internal locations are the app's to name

            // A derivative: made by the app once, then kept by the front, revalidated with the app's ETag; one copy per
            // format the app can answer in, whatever the Accept header's details.
            var thumbnail = front.Url("/media/news/photo.jpg?width=100&format=auto");
            using var made = await SendAsync(client, thumbnail, "image/avif,image/webp,*/*");
            Assert.True(made.StatusCode == HttpStatusCode.OK, $"{(int)made.StatusCode}: {front.ErrorLog}");
            Assert.Equal("image/webp", made.Content.Headers.ContentType!.MediaType);
            Assert.Equal("MISS", Header(made, "X-Cache-Status"));
            using var kept = await SendAsync(client, thumbnail, "image/webp,image/*;q=0.8");
            Assert.True(FromCache(kept), Header(kept, "X-Cache-Status"));
            Assert.Equal(await made.Content.ReadAsByteArrayAsync(), await kept.Content.ReadAsByteArrayAsync());
            using var jpeg = await SendAsync(client, thumbnail, "image/webp;q=0, image/*");
            Assert.Equal("image/jpeg", jpeg.Content.Headers.ContentType!.MediaType);
            Assert.Equal("Accept", jpeg.Headers.Vary.Single());
            using (var revalidate = new HttpRequestMessage(HttpMethod.Get, thumbnail))
            {
                revalidate.Headers.Accept.ParseAdd("image/webp");
                revalidate.Headers.IfNoneMatch.Add(made.Headers.ETag!);
                using var notModified = await client.SendAsync(revalidate);
                Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
            }

            // The app gone: the derivatives the front holds keep answering; a file never sent fails at once (502).
            await site.DisposeAsync();
            appStopped = true;
            for (var i = 0; i < 5; i++)
            {
                using var stale = await SendAsync(client, thumbnail, "image/webp");
                Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
                Assert.Equal(await made.Content.ReadAsByteArrayAsync(), await stale.Content.ReadAsByteArrayAsync());
                await Task.Delay(400);
            }
            using var gone = await client.GetAsync(front.Url("/media/videos/intro.mp4"));
            Assert.Equal(HttpStatusCode.BadGateway, gone.StatusCode);
        }
        finally
        {
            if (!appStopped)
            {
                await site.DisposeAsync();
            }
        }
    }

    /// <summary>Only the front may ask for X-Accel-Redirect: without Embassy:Proxy:KnownProxies (or from any other
    /// address) the header is dropped and the bytes come from the app, as they always did.</summary>
    [Fact]
    public async Task AnyoneElsesSendfileHeader_IsIgnored()
    {
        await using var site = KestrelSite.Start(await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite, new Dictionary<string, string?>
        {
            ["Embassy:Video:FfmpegPath"] = "/nonexistent/ffmpeg",
        }));
        using var admin = await site.SignInAsync();
        var pixel = TestImages.Png(20, 10);
        Assert.Equal(HttpStatusCode.Created, (await admin.PutAsync("/admin/api/media/pixel.png", new ByteArrayContent(pixel))).StatusCode);
        using var client = new HttpClient();
        using var asked = new HttpRequestMessage(HttpMethod.Get, site.Url("/media/pixel.png"));
        asked.Headers.Add(FrontSendfile.RequestHeader, FrontSendfile.RequestValue);
        using var answer = await client.SendAsync(asked);
        Assert.False(answer.Headers.Contains("X-Accel-Redirect"));
        Assert.Equal(pixel, await answer.Content.ReadAsByteArrayAsync());
    }

    /// <summary>The front tells a derivative by its query: the same names the endpoint reads.</summary>
    [Fact]
    public async Task TheFrontKnowsEveryDerivativeParameter()
    {
        var conf = await File.ReadAllTextAsync(Path.Combine(Paths.RepositoryRoot, "deploy/nginx/embassy-front.conf"));
        var names = System.Text.RegularExpressions.Regex.Match(conf, @"\(\^\|&\)\(([a-z|]+)\)").Groups[1].Value.Split('|');
        Assert.Equal(ImageCommand.QueryNames.Order(), names.Order());
    }

    /// <summary>The front's per-address limit on derivative requests (the app's own limit for what it serves itself).</summary>
    [Fact]
    public async Task TheFrontLimitsDerivativeRequestsPerAddress()
    {
        await using var site = KestrelSite.Start(await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite, new Dictionary<string, string?>
        {
            ["Embassy:Proxy:KnownProxies:0"] = "127.0.0.1",
            ["Embassy:Video:FfmpegPath"] = "/nonexistent/ffmpeg",
        }));
        using var admin = await site.SignInAsync();
        Assert.Equal(HttpStatusCode.Created, (await admin.PutAsync("/admin/api/media/photo.jpg", new ByteArrayContent(TestImages.Jpeg(200, 100)))).StatusCode);
        using var front = await NginxFront.StartAsync(site.Address, limits: new Dictionary<string, string> { ["MEDIA_PER_SECOND"] = "1", ["MEDIA_BURST"] = "1" });
        using var client = new HttpClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await client.GetAsync(front.Url("/media/photo.jpg?width=50"));
            statuses.Add(response.StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, statuses[0]);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }

    private static string Escaped(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string url, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        return await client.SendAsync(request);
    }

    /// <summary>Answered from the front's copy: fresh (HIT), or just expired and refreshed in the background (STALE,
    /// UPDATING) or revalidated with the app's ETag (REVALIDATED). A copy is fresh only to the end of the second it was
    /// made in, so a test's next request may find it just expired (CI found one).</summary>
    private static bool FromCache(HttpResponseMessage response) =>
        Header(response, "X-Cache-Status") is "HIT" or "STALE" or "UPDATING" or "REVALIDATED";

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
