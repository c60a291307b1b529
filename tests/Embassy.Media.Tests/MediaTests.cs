using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Embassy.Core;
using Embassy.Media.Data;
using Embassy.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.Media.Tests;

public sealed class MediaTests : IAsyncLifetime
{
    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    private KestrelSite _site = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _site = KestrelSite.Start(await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite, new Dictionary<string, string?>
        {
            ["Embassy:Media:MaxImageBytes"] = "4096",
            ["Embassy:Video:FfmpegPath"] = "/nonexistent/ffmpeg", // these tests are about files, not packaging
        }));
        _admin = await _site.SignInAsync();
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _site.DisposeAsync();
    }

    private static ByteArrayContent Body(byte[] bytes) => new(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } };

    [Fact]
    public async Task AnUpload_RoundTripsByteExact_AndPassesTheRangeChecks()
    {
        var video = await TestVideos.SixtySecondsAsync();
        var bytes = await File.ReadAllBytesAsync(video);
        var response = await _admin.PutAsync("/admin/api/media/videos/intro.mp4", Body(bytes));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var stored = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), (string?)stored!["sha256"]);
        Assert.Equal(bytes.Length, (long)stored["size"]!);

        using var anonymous = new HttpClient();
        Assert.Equal(bytes, await anonymous.GetByteArrayAsync(_site.Url("/media/videos/intro.mp4")));

        var (exit, output, _) = await TestVideos.RunAsync("bash", Paths.RangeCheck,
            _site.Url("/media/videos/intro.mp4"), video);
        Assert.True(exit == 0 && output.TrimEnd().EndsWith(" 0 failed", StringComparison.Ordinal), output);
    }

    // Security finding 4: a file on /media ran as a page on the CMI's origin.
    [Fact]
    public async Task EveryMediaResponse_IsSandboxed_AndNeverSniffed()
    {
        const string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(document.cookie)</script></svg>";
        Assert.Equal(HttpStatusCode.Created, (await _admin.PutAsync("/admin/api/media/logo.svg", Body(System.Text.Encoding.UTF8.GetBytes(svg)))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await _admin.PutAsync("/admin/api/media/pixel.png", Body(Png))).StatusCode);
        using var anonymous = new HttpClient();
        foreach (var path in new[] { "/media/logo.svg", "/media/pixel.png" })
        {
            var response = await anonymous.GetAsync(_site.Url(path));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("default-src 'none'; sandbox; frame-ancestors 'none'; base-uri 'none'; object-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        }
        // An upload of a page is refused whatever its name claims.
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await _admin.PutAsync("/admin/api/media/page.html", Body("<script>x</script>"u8.ToArray()))).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await _admin.PutAsync("/admin/api/media/page.png", Body("<script>x</script>"u8.ToArray()))).StatusCode);
        Assert.True(MediaSecurity.IsActive("text/html") && MediaSecurity.IsActive("application/xml") && !MediaSecurity.IsActive("image/svg+xml") && !MediaSecurity.IsActive("video/mp4"));
    }

    [Fact]
    public async Task TheETagIsTheContentsHash_SoItIsTheSameOnEveryServer()
    {
        await _admin.PutAsync("/admin/api/media/img/dot.png", Body(Png));
        using var anonymous = new HttpClient();
        var response = await anonymous.GetAsync(_site.Url("/media/img/dot.png"));
        Assert.Equal($"\"{Convert.ToHexStringLower(SHA256.HashData(Png))[..32]}\"", response.Headers.ETag!.Tag);
        Assert.False(response.Headers.ETag.IsWeak);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl!.Public);
    }

    public static TheoryData<string, byte[], int, string> Refusals() => new()
    {
        { "/admin/api/media/evil.mp4", [0x4D, 0x5A, 0x90, 0x00, .. new byte[200]], 415, "not that of a '.mp4' file" },
        { "/admin/api/media/tool.exe", [0x4D, 0x5A, 0x90, 0x00], 415, "'.exe' files are not accepted" },
        { "/admin/api/media/big.png", [.. Png, .. new byte[5000]], 413, "at most" },
        { "/admin/api/media/..%5Cetc%5Cpasswd.png", Png, 400, "'..' segment" },
        { "/admin/api/media/.hidden.png", Png, 400, "hidden" },
        { "/admin/api/media/empty.png", [], 400, "empty" },
        { "/admin/api/media/_video/x/poster.jpg", [0xFF, 0xD8, 0xFF, 0xE0], 400, "reserved" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task ABadUpload_IsRefusedWithAProblem_AndLeavesNothing(string url, byte[] body, int status, string expected)
    {
        var response = await _admin.PutAsync(url, Body(body));
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Duplicates_AndExistingPaths_AreRefusedUnlessAsked()
    {
        Assert.Equal(HttpStatusCode.Created, (await _admin.PutAsync("/admin/api/media/a.png", Body(Png))).StatusCode);
        var again = await _admin.PutAsync("/admin/api/media/a.png", Body(Png));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _admin.PutAsync("/admin/api/media/a.png?overwrite=true", Body(Png))).StatusCode);
        var copy = await _admin.PutAsync("/admin/api/media/b.png", Body(Png));
        Assert.Equal(HttpStatusCode.Conflict, copy.StatusCode);
        Assert.Equal("a.png", (string?)(await copy.Content.ReadFromJsonAsync<JsonObject>())!["existingPath"]);
        Assert.Equal(HttpStatusCode.Created, (await _admin.PutAsync("/admin/api/media/b.png?allowDuplicate=true", Body(Png))).StatusCode);
        // Now a.png's content is also b.png's: replacing a.png with it is a duplicate again.
        Assert.Equal(HttpStatusCode.Conflict, (await _admin.PutAsync("/admin/api/media/a.png?overwrite=true", Body(Png))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync("/admin/api/media/b.png")).StatusCode);
        using var anonymous = new HttpClient();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(_site.Url("/media/b.png"))).StatusCode);
    }

    [Fact]
    public async Task AnAbortedUpload_LeavesNoFileAndNoRow()
    {
        var content = new StreamContent(new FailingStream(failAfter: 3 * 1024 * 1024));
        content.Headers.ContentLength = 20 * 1024 * 1024;
        await Assert.ThrowsAnyAsync<Exception>(() => _admin.PutAsync("/admin/api/media/videos/aborted.mp4", content));
        await Task.Delay(500); // the server notices the abort asynchronously
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task WritesNeedASignedInEditor_AndTheAntiforgeryToken()
    {
        using var anonymous = new HttpClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PutAsync(_site.Url("/admin/api/media/x.png"), Body(Png))).StatusCode);
        _admin.DefaultRequestHeaders.Remove("X-CSRF-TOKEN");
        var response = await _admin.PutAsync("/admin/api/media/x.png", Body(Png));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Antiforgery", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Svg_IsServedWithAPolicyThatStopsScripts()
    {
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"u8.ToArray();
        Assert.Equal(HttpStatusCode.Created, (await _admin.PutAsync("/admin/api/media/logo.svg", Body(svg))).StatusCode);
        using var anonymous = new HttpClient();
        var response = await anonymous.GetAsync(_site.Url("/media/logo.svg"));
        Assert.Contains("sandbox", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    /// <summary>Issue #31 (ASVS V3.2.1): a document is a download with a safe file name — ASCII in filename, the exact
    /// name in filename* — never shown inline on the site's origin; pictures stay inline.</summary>
    [Fact]
    public async Task ADocument_IsADownload_WithASafeFileName_APictureIsNot()
    {
        var pdf = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"u8.ToArray();
        Assert.Equal(HttpStatusCode.Created, (await _admin.PutAsync("/admin/api/media/forms/wniosek-paszport%C5%82.pdf", Body(pdf))).StatusCode);
        using var anonymous = new HttpClient();
        var response = await anonymous.GetAsync(_site.Url("/media/forms/wniosek-paszport%C5%82.pdf"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var disposition = response.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposition.DispositionType);
        Assert.Equal("wniosek-paszport_.pdf", disposition.FileName?.Trim('"'));
        Assert.Equal("wniosek-paszportł.pdf", disposition.FileNameStar);
        Assert.Equal(HttpStatusCode.Created, (await _admin.PutAsync("/admin/api/media/inline.png", Body(TestImages.Png(8, 8)))).StatusCode);
        Assert.Null((await anonymous.GetAsync(_site.Url("/media/inline.png"))).Content.Headers.ContentDisposition);
    }

    private async Task AssertNothingStoredAsync()
    {
        await using var scope = _site.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EmbassyDbContext>();
        Assert.Empty(await db.Set<MediaFileRecord>().Select(m => m.Path).ToListAsync());
        var media = Path.Combine(_site.App.DataDirectory, "media");
        Assert.True(!Directory.Exists(media) || !Directory.EnumerateFiles(media, "*", SearchOption.AllDirectories).Any());
        var staging = Path.Combine(_site.App.DataDirectory, ".staging");
        Assert.True(!Directory.Exists(staging) || !Directory.EnumerateFiles(staging).Any(), "staging files left behind");
    }

    /// <summary>A request body that breaks off part way, as a dropped connection does.</summary>
    private sealed class FailingStream(long failAfter) : Stream
    {
        private long _position;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position >= failAfter)
            {
                throw new IOException("connection lost (simulated)");
            }
            var n = (int)Math.Min(count, failAfter - _position);
            Array.Fill(buffer, (byte)0x20, offset, n);
            if (_position == 0 && n >= 8)
            {
                "\0\0\0\x18ftyp"u8.CopyTo(buffer.AsSpan(offset));
            }
            _position += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

public sealed class StandbyMediaTests
{
    [Fact]
    public async Task TheStandby_MapsNoUploadOrAdminRoute()
    {
        await using var app = await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite);
        _ = app.CreateClient(); // the master sets the site up
        await using var standby = new EmbassyAppFactory(app.DataDirectory, settings: EmbassyAppFactory.StandbyOf(new Uri("http://127.0.0.1:9/")));
        var client = standby.CreateClient();
        foreach (var (method, url) in new[] { ("PUT", "/admin/api/media/x.png"), ("DELETE", "/admin/api/media/x.png"), ("POST", "/admin/api/session"),
                     ("GET", "/admin/api/session"), ("GET", "/admin/api/videos") })
        {
            var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = new ByteArrayContent([1]) });
            Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, $"{method} {url}: {response.StatusCode}");
        }
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/types")).StatusCode);
    }
}

public sealed class StreamAdmissionTests
{
    // Security finding 10: one client could hold every stream slot.
    [Fact]
    public async Task OneClient_CannotHoldMoreThanItsShareOfStreams_OthersStillGetTheirs()
    {
        await using var site = KestrelSite.Start(await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite,
            new Dictionary<string, string?> { ["Embassy:Media:MaxStreamsPerClient"] = "1", ["Embassy:Video:FfmpegPath"] = "/nonexistent/ffmpeg" }));
        var admin = await site.SignInAsync();
        var video = await TestVideos.SixtySecondsAsync();
        Assert.Equal(HttpStatusCode.Created, (await admin.PutAsync("/admin/api/media/v.mp4", new ByteArrayContent(await File.ReadAllBytesAsync(video)))).StatusCode);

        using var greedy = new HttpClient();
        using var held = await greedy.GetAsync(site.Url("/media/v.mp4"), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, held.StatusCode);
        var second = await new HttpClient().GetAsync(site.Url("/media/v.mp4"));
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Contains("MaxStreamsPerClient", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // The same client's slot comes back when its stream ends.
        held.Dispose();
        await Eventually.TrueAsync(async () => (await new HttpClient().GetAsync(site.Url("/media/v.mp4"), HttpCompletionOption.ResponseHeadersRead)).StatusCode == HttpStatusCode.OK,
            "the slot is freed", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void StreamAdmission_CountsPerClient_AndFreesSlots()
    {
        var admission = new Embassy.Media.Services.StreamAdmission(Microsoft.Extensions.Options.Options.Create(new MediaOptions { MaxConcurrentStreams = 3, MaxStreamsPerClient = 2 }));
        var a1 = admission.TryEnter("a", out _);
        var a2 = admission.TryEnter("a", out _);
        Assert.Null(admission.TryEnter("a", out var refusal));
        Assert.Equal(Embassy.Media.Services.AdmissionRefusal.ClientFull, refusal);
        var b1 = admission.TryEnter("b", out _);
        Assert.Null(admission.TryEnter("c", out refusal));
        Assert.Equal(Embassy.Media.Services.AdmissionRefusal.ServerFull, refusal);
        a1!.Dispose();
        a1.Dispose(); // twice is once
        Assert.Equal(2, admission.Active);
        Assert.NotNull(admission.TryEnter("a", out _));
        a2!.Dispose();
        b1!.Dispose();
    }

    [Fact]
    public async Task PastTheStreamLimit_NewStreamsGet503WithRetryAfter_AndTheApiStillAnswers()
    {
        await using var site = KestrelSite.Start(await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite,
            new Dictionary<string, string?> { ["Embassy:Media:MaxConcurrentStreams"] = "1" }));
        var admin = await site.SignInAsync();
        var video = await TestVideos.SixtySecondsAsync();
        Assert.Equal(HttpStatusCode.Created, (await admin.PutAsync("/admin/api/media/v.mp4", new ByteArrayContent(await File.ReadAllBytesAsync(video)))).StatusCode);

        using var slow = new HttpClient();
        // Headers read, body not: the stream stays open, as a paused player's would.
        using var open = await slow.GetAsync(site.Url("/media/v.mp4"), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        using var other = new HttpClient();
        var refused = await other.GetAsync(site.Url("/media/v.mp4"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), refused.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync(site.Url("/api/v1/types"))).StatusCode);
    }
}
