using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Embassy.Media.Images;
using Embassy.Recipes;
using Embassy.Testing;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;

namespace Embassy.Media.Tests;

/// <summary>Image transforms on /media: Orchard's query names and media profiles, through the whole server over HTTP.</summary>
public sealed class ImageTests : IAsyncLifetime, IDisposable
{
    private KestrelSite _site = null!;
    private HttpClient _admin = null!;
    private HttpClient _anonymous = null!;

    public async Task InitializeAsync()
    {
        _site = KestrelSite.Start(await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite, new Dictionary<string, string?>
        {
            ["Embassy:Video:FfmpegPath"] = "/nonexistent/ffmpeg",
            ["Embassy:Media:Images:MaxPixels"] = "30000000",
            // A padding colour beyond the default three, as an operator adds one (the list replaces the default).
            ["Embassy:Media:Images:SupportedBackgrounds:0"] = "white",
            ["Embassy:Media:Images:SupportedBackgrounds:1"] = "00ff00",
            ["Embassy:Media:Images:NewDerivativesPerMinute"] = "100000",
        }));
        _admin = await _site.SignInAsync();
        _anonymous = new HttpClient();
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _site.DisposeAsync();
    }

    public void Dispose() => _anonymous.Dispose();

    private async Task<HttpResponseMessage> UploadAsync(string path, byte[] bytes)
    {
        var response = await _admin.PutAsync($"/admin/api/media/{path}", new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } });
        await SettleAsync();
        return response;
    }

    /// <summary>Reads the head now, as the next poll would: the media version the upload moved is seen before the test
    /// goes on, so no poll drops the derivatives held in memory in the middle of a count of them.</summary>
    private async Task SettleAsync() => await _site.App.Services.GetRequiredService<Embassy.MobileApi.Caching.ContentHeadWatcher>().RefreshAsync(default);

    private async Task<byte[]> GetImageAsync(string url)
    {
        var response = await _anonymous.GetAsync(_site.Url(url));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadAsByteArrayAsync();
    }

    [Theory]
    [InlineData("width=240&height=240&rmode=crop", 240, 240)]
    [InlineData("width=240&height=240", 240, 240)] // crop is the default, as in ImageSharp
    [InlineData("width=240&height=240&rmode=pad", 240, 240)]
    [InlineData("width=1024&height=1024&rmode=boxpad", 1024, 1024)] // padded, not enlarged
    [InlineData("width=240&height=240&rmode=max", 240, 180)]
    [InlineData("width=240&height=240&rmode=min", 320, 240)]
    [InlineData("width=1024&height=1024&rmode=min", 800, 600)] // never enlarged
    [InlineData("width=240&height=100&rmode=stretch", 240, 100)]
    [InlineData("width=480", 480, 360)]
    [InlineData("height=160", 213, 160)]
    public async Task EachResizeMode_GivesTheExpectedSize(string query, int width, int height)
    {
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync("news/photo.jpg", TestImages.Jpeg(800, 600))).StatusCode);
        var (format, w, h) = TestImages.Read(await GetImageAsync($"/media/news/photo.jpg?{query}"));
        Assert.Equal((SKEncodedImageFormat.Jpeg, width, height), (format, w, h));
    }

    [Fact]
    public async Task PaddingAndCropping_PlaceThePicture_AsAsked()
    {
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync("wide.png", TestImages.Png(800, 400))).StatusCode);
        // pad: a 2:1 picture in a square box has bands above and below in the colour asked for.
        var padded = await GetImageAsync("/media/wide.png?width=240&height=240&rmode=pad&bgcolor=00ff00");
        Assert.Equal(SKColors.Lime, TestImages.Pixel(padded, 120, 5));
        Assert.Equal(SKColors.Lime, TestImages.Pixel(padded, 120, 234));
        // crop with the focal point top left keeps the red corner; centred, it is cut away.
        var left = await GetImageAsync("/media/wide.png?width=240&height=240&rxy=0,0");
        Assert.True(TestImages.Pixel(left, 5, 5).Red > 200 && TestImages.Pixel(left, 5, 5).Green < 60);
        var centre = await GetImageAsync("/media/wide.png?width=240&height=240");
        Assert.True(TestImages.Pixel(centre, 5, 5).Red < 200 || TestImages.Pixel(centre, 5, 5).Green > 60);
    }

    [Fact]
    public async Task Derivatives_AreUpright_AndCarryNoMetadata()
    {
        // Stored 800×600 with "rotate 90° clockwise" and a GPS position, as a phone writes a portrait photo.
        var original = TestImages.WithExif(TestImages.Jpeg(800, 600), orientation: 6);
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync("portrait.jpg", original)).StatusCode);
        // Issue #38, group 3: the original is stored without its GPS position (and the rest of its EXIF), keeping only
        // its orientation, so it still shows upright; its pixels' bytes are those uploaded.
        var served = await GetImageAsync("/media/portrait.jpg");
        Assert.False(TestImages.Contains(served, "II*\0"u8), "the uploaded EXIF block (GPS position included) is kept");
        Assert.True(TestImages.Contains(served, "Exif\0\0MM\0*"u8), "the orientation is kept");
        Assert.True(TestImages.Contains(served, original.AsSpan(original.Length - 400, 300)), "the picture's bytes are not those uploaded (re-encoded)");
        using (var codec = SKCodec.Create(new MemoryStream(served)))
        {
            Assert.Equal(SKEncodedOrigin.RightTop, codec.EncodedOrigin);
        }

        foreach (var query in new[] { "width=240", "width=240&format=webp", "width=240&format=png", "profile=thumbnail" })
        {
            var derivative = await GetImageAsync($"/media/portrait.jpg?{query}");
            Assert.False(TestImages.Contains(derivative, "Exif"u8), $"{query}: EXIF kept");
            Assert.False(TestImages.Contains(derivative, "XMP"u8), $"{query}: XMP kept");
        }
        var (_, width, height) = TestImages.Read(await GetImageAsync("/media/portrait.jpg?width=240"));
        Assert.Equal((240, 320), (width, height)); // upright: portrait
    }

    [Fact]
    public async Task WebP_IsServedWhenAccepted_WithVaryAccept_AndStrongETags()
    {
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync("photo.jpg", TestImages.Jpeg(1200, 800))).StatusCode);
        async Task<HttpResponseMessage> Get(string query, string? accept)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, _site.Url($"/media/photo.jpg?{query}"));
            if (accept is not null)
            {
                request.Headers.Accept.ParseAdd(accept);
            }
            return await _anonymous.SendAsync(request);
        }
        var webp = await Get("width=480&format=auto", "image/avif,image/webp,*/*");
        Assert.Equal("image/webp", webp.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Accept", webp.Headers.Vary);
        Assert.Equal(SKEncodedImageFormat.Webp, TestImages.Read(await webp.Content.ReadAsByteArrayAsync()).Format);
        var jpeg = await Get("width=480&format=auto", "image/jpeg,*/*");
        Assert.Equal("image/jpeg", jpeg.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Accept", jpeg.Headers.Vary);
        Assert.NotEqual(webp.Headers.ETag, jpeg.Headers.ETag);
        Assert.False(webp.Headers.ETag!.IsWeak);

        // The same derivative again: the same ETag, from the cache; If-None-Match is a 304 without a body.
        var again = await Get("format=auto&width=480", "image/webp");
        Assert.Equal(webp.Headers.ETag, again.Headers.ETag);
        using var conditional = new HttpRequestMessage(HttpMethod.Get, _site.Url("/media/photo.jpg?width=480&format=auto"));
        conditional.Headers.Accept.ParseAdd("image/webp");
        conditional.Headers.IfNoneMatch.Add(webp.Headers.ETag);
        Assert.Equal(HttpStatusCode.NotModified, (await _anonymous.SendAsync(conditional)).StatusCode);

        // An explicit format does not depend on Accept.
        var png = await Get("width=480&format=png", "image/webp");
        Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("Accept", png.Headers.Vary);

        // Ranges work on derivatives as on any media file.
        using var range = new HttpRequestMessage(HttpMethod.Get, _site.Url("/media/photo.jpg?width=480&format=png"));
        range.Headers.Range = new RangeHeaderValue(0, 99);
        var partial = await _anonymous.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(100, (await partial.Content.ReadAsByteArrayAsync()).Length);
    }

    [Theory]
    [InlineData("width=123", "width")]
    [InlineData("width=100000", "width")]
    [InlineData("height=-5", "height")]
    [InlineData("width=240&rmode=zoom", "rmode")]
    [InlineData("width=240&rxy=2,0", "rxy")]
    [InlineData("width=240&format=tiff", "format")]
    [InlineData("width=240&quality=0", "quality")]
    [InlineData("width=240&bgcolor=reddish", "bgcolor")]
    [InlineData("width=240&bgcolor=123456", "bgcolor")] // a colour, but not one of the supported ones: no variant per colour
    [InlineData("width=240&bgcolor=black", "bgcolor")] // a default one, no longer in the configured list
    [InlineData("width=240&quality=47", "quality")]
    [InlineData("profile=nope", "profile")]
    [InlineData("profile=thumbnail&width=240", "profile")]
    [InlineData("rmode=crop", "width")]
    [InlineData("width=240&width=480", "width")]
    public async Task BadTransforms_AreA400_ThatNamesTheParameter(string query, string named)
    {
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync("photo.jpg", TestImages.Jpeg(400, 300))).StatusCode);
        var response = await _anonymous.GetAsync(_site.Url($"/media/photo.jpg?{query}"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Contains($"'{named}'", (string?)problem!["detail"], StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_site.App.DataDirectory, "image-cache"), "*", SearchOption.AllDirectories));
    }

    /// <summary>Issue #38, group 3: an anonymous client cannot fill the cache with variants — past its budget of new
    /// derivatives a minute it gets 429 with Retry-After and nothing is made, while what is made already is still served.</summary>
    [Fact]
    public async Task NewVariants_AreBudgetedPerClient_WhatIsMadeAlreadyIsStillServed()
    {
        await using var site = KestrelSite.Start(await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite, new Dictionary<string, string?>
        {
            ["Embassy:Video:FfmpegPath"] = "/nonexistent/ffmpeg",
            ["Embassy:Media:Images:NewDerivativesPerMinute"] = "5",
        }));
        using var admin = await site.SignInAsync();
        Assert.Equal(HttpStatusCode.Created, (await admin.PutAsync("/admin/api/media/budget.jpg",
            new ByteArrayContent(TestImages.Jpeg(400, 300)) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } })).StatusCode);
        var variants = Enumerable.Range(0, 8).Select(i => $"/media/budget.jpg?width=240&height=240&rxy=0.{i + 1},0.5").ToList();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await _anonymous.GetAsync(site.Url(variants[i]))).StatusCode);
        }
        var cache = Path.Combine(site.App.DataDirectory, "image-cache");
        var made = Directory.EnumerateFiles(cache, "*.jpg", SearchOption.AllDirectories).Count();
        var refused = await _anonymous.GetAsync(site.Url(variants[5]));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Contains("NewDerivativesPerMinute", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(made, Directory.EnumerateFiles(cache, "*.jpg", SearchOption.AllDirectories).Count()); // nothing made
        // Variants made already cost nothing: served, as often as asked.
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await _anonymous.GetAsync(site.Url(variants[i % 5]))).StatusCode);
        }
    }

    [Fact]
    public async Task OnlyImages_AreTransformed()
    {
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync("doc.pdf", "%PDF-1.4\n%\u00e2\u00e3\n1 0 obj\n"u8.ToArray())).StatusCode);
        var response = await _anonymous.GetAsync(_site.Url("/media/doc.pdf?width=240"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _anonymous.GetAsync(_site.Url("/media/doc.pdf?v=2"))).StatusCode); // other query names are not transforms
    }

    [Fact]
    public async Task DecompressionBombs_AndTruncatedImages_AreRefusedAtUpload_AndNothingIsKept()
    {
        var bomb = TestImages.Bomb(30000, 30000);
        Assert.True(bomb.Length < 10_000);
        var refused = await UploadAsync("bomb.jpg", bomb);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.Contains("megapixels", (string?)(await refused.Content.ReadFromJsonAsync<JsonObject>())!["detail"], StringComparison.Ordinal);

        var whole = TestImages.Jpeg(800, 600);
        var truncated = await UploadAsync("half.jpg", whole[..(whole.Length / 2)]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, truncated.StatusCode);
        Assert.Contains("truncated", (string?)(await truncated.Content.ReadFromJsonAsync<JsonObject>())!["detail"], StringComparison.Ordinal);

        var garbage = await UploadAsync("noise.png", [.. TestImages.Png(8, 8)[..16], .. new byte[4000]]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, garbage.StatusCode);

        foreach (var path in new[] { "bomb.jpg", "half.jpg", "noise.png" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await _anonymous.GetAsync(_site.Url($"/media/{path}?width=240"))).StatusCode);
            Assert.False(File.Exists(Path.Combine(_site.App.DataDirectory, "media", path)));
        }
        var staging = Path.Combine(_site.App.DataDirectory, ".staging");
        Assert.True(!Directory.Exists(staging) || !Directory.EnumerateFiles(staging).Any());
    }

    [Fact]
    public async Task DamagedImages_NeverCrashTheServer()
    {
        // Bytes flipped at random in every format the server decodes: each upload is taken or refused, never a 500,
        // and what is taken is resized or refused cleanly.
        var random = new Random(16);
        var originals = new (string Extension, byte[] Bytes)[]
        {
            (".jpg", TestImages.Jpeg(320, 240)), (".png", TestImages.Png(320, 240)), (".webp", TestImages.WebP(320, 240)), (".gif", TestImages.Gif()),
        };
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 48; i++)
        {
            var (extension, original) = originals[i % originals.Length];
            var damaged = (byte[])original.Clone();
            for (var j = 0; j < 1 + (i % 6) * 4; j++)
            {
                damaged[16 + random.Next(damaged.Length - 16)] = (byte)random.Next(256);
            }
            var upload = await UploadAsync($"fuzz/{i}{extension}", damaged);
            statuses.Add(upload.StatusCode);
            Assert.True(upload.StatusCode is HttpStatusCode.Created or HttpStatusCode.UnprocessableEntity or HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.UnsupportedMediaType,
                $"{i}{extension}: {(int)upload.StatusCode} {await upload.Content.ReadAsStringAsync()}");
            if (upload.StatusCode == HttpStatusCode.Created)
            {
                var resized = await _anonymous.GetAsync(_site.Url($"/media/fuzz/{i}{extension}?width=100&format=webp"));
                Assert.True(resized.StatusCode is HttpStatusCode.OK or HttpStatusCode.UnprocessableEntity, $"{i}{extension}: {(int)resized.StatusCode}");
            }
        }
        Assert.Contains(HttpStatusCode.Created, statuses);
        Assert.Contains(HttpStatusCode.UnprocessableEntity, statuses);
        Assert.Equal(HttpStatusCode.OK, (await _anonymous.GetAsync(_site.Url("/health/live"))).StatusCode);
    }

    [Fact]
    public async Task AnImageDamagedOnDisk_IsA422_NotA500()
    {
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync("damaged.jpg", TestImages.Jpeg(800, 600))).StatusCode);
        var file = Path.Combine(_site.App.DataDirectory, "media", "damaged.jpg");
        var bytes = await File.ReadAllBytesAsync(file);
        // The same size and time, other bytes: as a disk error would leave it.
        var time = File.GetLastWriteTimeUtc(file);
        await File.WriteAllBytesAsync(file, [.. bytes[..200], .. new byte[bytes.Length - 200]]);
        File.SetLastWriteTimeUtc(file, time);
        var response = await _anonymous.GetAsync(_site.Url("/media/damaged.jpg?width=240"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Profiles_FromTheRecipeStep_AreServedByName_AndFocalPointsMoveTheirCrop()
    {
        var recipe = Path.Combine(_site.App.DataDirectory, "profiles.recipe.json");
        await File.WriteAllTextAsync(recipe, """
            { "name": "profiles", "steps": [ { "name": "MediaProfiles", "MediaProfiles": {
              "banner": { "Hint": "A banner", "Width": 2048, "Height": 600, "Mode": 2, "Format": 0, "Quality": 100 },
              "square": { "Width": 300, "Height": 300, "Mode": "Crop", "Format": "Png" } } } ] }
            """);
        await using (var scope = _site.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<RecipeExecutor>().ImportFileAsync(recipe, new RecipeImportOptions(), default);
        }
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync("photo.jpg", TestImages.Jpeg(1200, 900))).StatusCode);
        var square = TestImages.Read(await GetImageAsync("/media/photo.jpg?profile=square")); // 300 is no supported size: profiles may use any
        Assert.Equal((SKEncodedImageFormat.Png, 300, 300), square);
        using var request = new HttpRequestMessage(HttpMethod.Get, _site.Url("/media/photo.jpg?profile=banner&rxy=0.2,0.1"));
        request.Headers.Accept.ParseAdd("image/webp");
        var banner = await _anonymous.SendAsync(request);
        Assert.Equal("image/webp", banner.Content.Headers.ContentType?.MediaType); // Format 0 (Undefined): WebP when accepted
        Assert.Equal((SKEncodedImageFormat.Webp, 2048, 600), TestImages.Read(await banner.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task TheApi_GivesEachImage_ItsSizeAltTextAndProfileUrls_ThatServe()
    {
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync("news/portrait.jpg", TestImages.WithExif(TestImages.Jpeg(800, 600), orientation: 6))).StatusCode);
        string id;
        await using (var scope = _site.App.Services.CreateAsyncScope())
        {
            id = (await scope.ServiceProvider.GetRequiredService<Embassy.Content.Services.ContentManager>().CreateAsync(
                new Embassy.Content.Services.NewContentItem("News", new JsonObject
                {
                    ["TitlePart"] = new JsonObject { ["Title"] = "Z obrazem" },
                    ["LocalizationPart"] = new JsonObject { ["Culture"] = "pl" },
                    ["News"] = new JsonObject
                    {
                        ["Image"] = new JsonObject
                        {
                            ["Paths"] = new JsonArray("news/portrait.jpg"), ["MediaTexts"] = new JsonArray("Konsul przy biurku"),
                            ["Anchors"] = new JsonArray(new JsonObject { ["X"] = 0.25, ["Y"] = 0.2 }),
                        },
                    },
                }) { Publish = true }, default)).ContentItemId;
        }
        var item = await _anonymous.GetFromJsonAsync<JsonObject>(_site.Url($"/api/v1/items/{id}"));
        var image = item!["fields"]!["image"]![0]!;
        Assert.Equal(("Konsul przy biurku", 600, 800), ((string?)image["alt"], (int?)image["width"], (int?)image["height"])); // upright
        Assert.Equal(["card", "hero", "thumbnail"], image["profiles"]!.AsObject().Select(p => p.Key).Order());
        var thumbnail = (string)image["profiles"]!["thumbnail"]!;
        Assert.Equal("/media/news/portrait.jpg?profile=thumbnail&rxy=0.25,0.2", thumbnail);
        Assert.Equal((SKEncodedImageFormat.Jpeg, 240, 240), TestImages.Read(await GetImageAsync(thumbnail)));
    }

    [Fact]
    public async Task APictureWithoutAltText_KeepsANewsItemFromBeingPublished_UnlessMarkedDecorative()
    {
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync("news/flag.jpg", TestImages.Jpeg(400, 300))).StatusCode);
        JsonObject News(JsonNode? texts, JsonNode? decorative = null) => new()
        {
            ["TitlePart"] = new JsonObject { ["Title"] = "Flaga" },
            ["LocalizationPart"] = new JsonObject { ["Culture"] = "pl" },
            ["News"] = new JsonObject { ["Image"] = new JsonObject { ["Paths"] = new JsonArray("news/flag.jpg"), ["MediaTexts"] = texts, ["Decorative"] = decorative } },
        };
        await using var scope = _site.App.Services.CreateAsyncScope();
        var content = scope.ServiceProvider.GetRequiredService<Embassy.Content.Services.ContentManager>();
        // The model recipe requires it for news pictures (MediaFieldSettings.RequireMediaText): refused in the core, whoever asks.
        var refused = await Assert.ThrowsAsync<Embassy.Content.Services.ContentValidationException>(() =>
            content.CreateAsync(new Embassy.Content.Services.NewContentItem("News", News(new JsonArray(" "))) { Publish = true }, default));
        Assert.Contains(refused.Errors, e => e.Contains("'news/flag.jpg' needs an alternative text", StringComparison.Ordinal));

        var decorative = await content.CreateAsync(new Embassy.Content.Services.NewContentItem("News", News(new JsonArray(""), new JsonArray(true))) { Publish = true }, default);
        var served = await _anonymous.GetFromJsonAsync<JsonObject>(_site.Url($"/api/v1/items/{decorative.ContentItemId}"));
        Assert.Equal("", (string?)served!["fields"]!["image"]![0]!["alt"]); // decorative: screen readers skip it

        // Where the settings do not require it (an event's picture), publishing is told, not refused.
        var definitions = await content.LoadDefinitionsAsync(default);
        var eventItem = new JsonObject { ["Event"] = new JsonObject { ["Image"] = new JsonObject { ["Paths"] = new JsonArray("news/flag.jpg"), ["MediaTexts"] = new JsonArray("") } } };
        Assert.Empty(Embassy.Content.Services.ContentItemValidator.PublishProblems("Event", eventItem, definitions));
        Assert.Equal(["'news/flag.jpg' has no alternative text: people using a screen reader will not know what it shows"],
            Embassy.Content.Services.ContentItemValidator.PublishProblems("Event", eventItem, definitions, notices: true));
    }

    private long AnsweredFromMemory => _site.App.Services.GetRequiredService<HeldResponses>().Served;

    /// <summary>Status, headers (but Date) and body of a response, to compare the two ways a derivative is answered.</summary>
    private static async Task<string> DescribeAsync(HttpResponseMessage response)
    {
        var headers = response.Headers.Concat(response.Content.Headers).Where(h => h.Key != "Date")
            .Select(h => $"{h.Key}: {string.Join(", ", h.Value)}").Order(StringComparer.Ordinal);
        return $"{(int)response.StatusCode}\n{string.Join("\n", headers)}\n{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(await response.Content.ReadAsByteArrayAsync()))}";
    }

    [Fact]
    public async Task ADerivativeAskedForAgain_IsAnsweredFromMemoryAheadOfRouting_ExactlyAsTheEndpointAnswered_UntilItsSourceOrProfileChanges()
    {
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync("memo.jpg", TestImages.Jpeg(800, 600))).StatusCode);
        var url = _site.Url("/media/memo.jpg?profile=thumbnail&rxy=0.5,0.5");
        var first = await DescribeAsync(await _anonymous.GetAsync(url));
        var before = AnsweredFromMemory;
        var again = await DescribeAsync(await _anonymous.GetAsync(url));
        Assert.Equal(before + 1, AnsweredFromMemory);
        Assert.Equal(first, again);

        // HEAD: the same headers, no body.
        using (var head = await _anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Head, url)))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
            Assert.Equal((await _anonymous.GetByteArrayAsync(url)).Length, head.Content.Headers.ContentLength);
        }
        Assert.Equal(before + 3, AnsweredFromMemory);

        // If-None-Match: a 304 from memory; a range: the endpoint (206), as every request the memo does not cover.
        var etag = (await _anonymous.GetAsync(url)).Headers.ETag!;
        using (var conditional = new HttpRequestMessage(HttpMethod.Get, url))
        {
            conditional.Headers.IfNoneMatch.Add(etag);
            var notModified = await _anonymous.SendAsync(conditional);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
            Assert.Equal(etag, notModified.Headers.ETag);
            Assert.Contains("Accept", notModified.Headers.Vary); // a profile without a format: WebP when accepted
        }
        Assert.Equal(before + 5, AnsweredFromMemory);
        using (var range = new HttpRequestMessage(HttpMethod.Get, url))
        {
            range.Headers.Range = new RangeHeaderValue(0, 99);
            var partial = await _anonymous.SendAsync(range);
            Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
            Assert.Equal(100, (await partial.Content.ReadAsByteArrayAsync()).Length);
        }
        Assert.Equal(before + 5, AnsweredFromMemory);

        // Another Accept: its own answer (WebP), remembered beside the JPEG one.
        async Task<HttpResponseMessage> Accepting(string accept)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.ParseAdd(accept);
            return await _anonymous.SendAsync(request);
        }
        var webp = await DescribeAsync(await Accepting("image/webp,*/*"));
        Assert.Equal(webp, await DescribeAsync(await Accepting("image/webp,*/*")));
        Assert.Contains("Content-Type: image/webp", webp, StringComparison.Ordinal);
        Assert.Equal(first, await DescribeAsync(await _anonymous.GetAsync(url)));
        Assert.Equal(before + 7, AnsweredFromMemory);

        // The source replaced on this server: the next answer is the new picture's, at once.
        Assert.True((await UploadAsync("memo.jpg?overwrite=true", TestImages.Jpeg(600, 800))).IsSuccessStatusCode);
        var replaced = await _anonymous.GetAsync(url);
        Assert.NotEqual(etag, replaced.Headers.ETag);
        Assert.Equal(before + 7, AnsweredFromMemory);
        Assert.Equal(await DescribeAsync(replaced), await DescribeAsync(await _anonymous.GetAsync(url)));
        Assert.Equal(before + 8, AnsweredFromMemory);

        // The profile changed (a recipe): the next answer has the new size.
        var recipe = Path.Combine(_site.App.DataDirectory, "thumbnail.recipe.json");
        await File.WriteAllTextAsync(recipe, """
            { "name": "thumbnail", "steps": [ { "name": "MediaProfiles", "MediaProfiles": { "thumbnail": { "Width": 100, "Height": 100, "Mode": "Crop" } } } ] }
            """);
        await using (var scope = _site.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<RecipeExecutor>().ImportFileAsync(recipe, new RecipeImportOptions(), default);
        }
        await SettleAsync();
        Assert.Equal((SKEncodedImageFormat.Jpeg, 100, 100), TestImages.Read(await _anonymous.GetByteArrayAsync(url)));
        Assert.Equal((SKEncodedImageFormat.Jpeg, 100, 100), TestImages.Read(await _anonymous.GetByteArrayAsync(url)));
        Assert.Equal(before + 9, AnsweredFromMemory);
    }

    [Fact]
    public async Task ADerivativeUrlPaddedWithUnknownParameters_IsServed_ButNotRemembered()
    {
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync("padded.jpg", TestImages.Jpeg(800, 600))).StatusCode);
        var padded = _site.Url($"/media/padded.jpg?width=240&v={new string('x', HeldResponses.MaxUrlLength)}");
        var first = await DescribeAsync(await _anonymous.GetAsync(padded));
        Assert.Equal(first, await DescribeAsync(await _anonymous.GetAsync(padded)));
        Assert.Equal(0, AnsweredFromMemory);
        var plain = _site.Url("/media/padded.jpg?width=240&v=2"); // the same derivative; a short URL is remembered
        Assert.Equal(first, await DescribeAsync(await _anonymous.GetAsync(plain)));
        Assert.Equal(first, await DescribeAsync(await _anonymous.GetAsync(plain)));
        Assert.Equal(1, AnsweredFromMemory);
    }

    /// <summary>A server of its own with <paramref name="settings"/>, holding one image uploaded at <paramref name="path"/>.</summary>
    private static async Task<KestrelSite> StartWithAsync(string path, byte[] image, params (string Key, string Value)[] settings)
    {
        var configuration = new Dictionary<string, string?> { ["Embassy:Video:FfmpegPath"] = "/nonexistent/ffmpeg" };
        foreach (var (key, value) in settings)
        {
            configuration[key] = value;
        }
        var site = KestrelSite.Start(await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite, configuration));
        using var admin = await site.SignInAsync();
        Assert.Equal(HttpStatusCode.Created, (await admin.PutAsync($"/admin/api/media/{path}",
            new ByteArrayContent(image) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } })).StatusCode);
        await site.App.Services.GetRequiredService<Embassy.MobileApi.Caching.ContentHeadWatcher>().RefreshAsync(default); // see SettleAsync
        return site;
    }

    [Fact]
    public async Task ThePerAddressLimit_CountsDerivativesAnsweredFromMemory_AsAnyOtherMediaRequest()
    {
        await using var limited = await StartWithAsync("limited.jpg", TestImages.Jpeg(800, 600),
            ("Embassy:Media:RateLimitPerSecond", "1"), ("Embassy:Media:RateLimitBurst", "5"));
        using var client = new HttpClient();
        client.DefaultRequestHeaders.Add(TestClientAddress.Header, "203.0.113.7");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add((await client.GetAsync(limited.Url("/media/limited.jpg?width=240"))).StatusCode);
        }
        // Five from the bucket (the first made by the endpoint, four from memory), the sixth refused.
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 5), HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(4, limited.App.Services.GetRequiredService<HeldResponses>().Served);
        var refused = await client.GetAsync(limited.Url("/media/limited.jpg?width=240"));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        using var other = new HttpClient();
        other.DefaultRequestHeaders.Add(TestClientAddress.Header, "198.51.100.7");
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync(limited.Url("/media/limited.jpg?width=240"))).StatusCode);
    }

    [Fact]
    public async Task TransformsPastTheLimit_Wait_ThenAre503WithRetryAfter()
    {
        await using var busy = await StartWithAsync("big.png", TestImages.Png(3000, 2000),
            ("Embassy:Media:Images:MaxConcurrentTransforms", "1"), ("Embassy:Media:Images:QueueTimeout", "00:00:00"));
        var sizes = new[] { 16, 32, 50, 100, 160, 240, 480, 600, 1024, 2048 };
        var responses = await Task.WhenAll(sizes.Select(size => _anonymous.GetAsync(busy.Url($"/media/big.png?width={size}&format=webp"))));
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, r.StatusCode.ToString()));
        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, r => Assert.NotNull(r.Headers.RetryAfter));
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.OK);
    }
}
