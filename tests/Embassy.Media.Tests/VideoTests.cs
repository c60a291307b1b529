using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Embassy.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.Media.Tests;

public sealed partial class VideoTests : IAsyncLifetime
{
    private KestrelSite _site = null!;
    private HttpClient _admin = null!;
    private static readonly HttpClient _app = new();

    public async Task InitializeAsync()
    {
        _site = KestrelSite.Start(await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite,
            new Dictionary<string, string?> { ["Embassy:Video:PollInterval"] = "00:00:00.200" }));
        _admin = await _site.SignInAsync();
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _site.DisposeAsync();
    }

    private async Task<JsonObject> UploadAndWaitAsync(string path, byte[] bytes, string until)
    {
        var stored = await (await _admin.PutAsync($"/admin/api/media/{path}", new ByteArrayContent(bytes))).Content.ReadFromJsonAsync<JsonObject>();
        var id = (string)stored!["sha256"]!;
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var videos = await _admin.GetFromJsonAsync<JsonArray>("/admin/api/videos");
            var video = videos!.OfType<JsonObject>().Single(v => (string?)v["id"] == id);
            if ((string?)video["status"] == until)
            {
                return video;
            }
            Assert.True(DateTime.UtcNow < deadline, $"video still {(string?)video["status"]}: {video.ToJsonString()}");
            await Task.Delay(200);
        }
    }

    /// <summary>Orchard compatibility: a video placed by a recipe's media step goes through the same intake as an upload.</summary>
    [Fact]
    public async Task AVideoImportedByARecipe_IsPackagedAndListed_LikeAnUpload()
    {
        var folder = Path.Combine(_site.App.DataDirectory, "recipe-with-video");
        Directory.CreateDirectory(folder);
        File.Copy(await TestVideos.SixtySecondsAsync(), Path.Combine(folder, "intro.mp4"));
        await File.WriteAllTextAsync(Path.Combine(folder, "video.recipe.json"),
            """{ "name": "video", "steps": [ { "name": "media", "Files": [ { "TargetPath": "videos/from-recipe.mp4", "SourcePath": "intro.mp4" } ] } ] }""");
        await using (var scope = _site.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<Embassy.Recipes.RecipeExecutor>()
                .ImportFileAsync(Path.Combine(folder, "video.recipe.json"), new Embassy.Recipes.RecipeImportOptions(), default);
        }
        var deadline = DateTime.UtcNow.AddSeconds(90);
        JsonObject? entry = null;
        while (entry is null)
        {
            var catalog = await _app.GetFromJsonAsync<JsonArray>(_site.Url("/api/v1/videos"));
            entry = catalog!.OfType<JsonObject>().SingleOrDefault(v => (string?)v["streamUrl"] == "/media/videos/from-recipe.mp4");
            Assert.True(entry is not null || DateTime.UtcNow < deadline, "the recipe's video never became ready");
            await Task.Delay(entry is null ? 200 : 0);
        }
        Assert.Equal("/media/_video/videos/from-recipe.mp4/index.m3u8", (string?)entry["hlsUrl"]);
        Assert.NotNull(entry["posterUrl"]);
        Assert.InRange((double)entry["durationSeconds"]!, 59, 61);
        Assert.Equal(HttpStatusCode.OK, (await _app.GetAsync(_site.Url((string)entry["hlsUrl"]!))).StatusCode);
    }

    /// <summary>#32: the catalog's URLs go through the one escaping helper: a video whose name has spaces, '#' and
    /// Polish letters is listed with URLs that fetch its stream, playlist and poster; a '?' in a name is refused.</summary>
    [Fact]
    public async Task AVideoWithSpacesHashAndPolishLettersInItsName_IsListedWithURLsThatFetchIt()
    {
        const string path = "videos/wizyta ambasadora #1 zażółć.mp4";
        var escaped = string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
        var video = await UploadAndWaitAsync(escaped, await File.ReadAllBytesAsync(await TestVideos.SixtySecondsAsync()), "ready");
        Assert.Equal(path, (string?)video["path"]);
        var entry = (await _app.GetFromJsonAsync<JsonArray>(_site.Url("/api/v1/videos")))!.OfType<JsonObject>().Single(v => (string?)v["path"] == path);
        Assert.Equal("/media/videos/wizyta%20ambasadora%20%231%20za%C5%BC%C3%B3%C5%82%C4%87.mp4", (string?)entry["streamUrl"]);
        foreach (var url in new[] { "streamUrl", "hlsUrl", "posterUrl" })
        {
            var response = await _app.GetAsync(_site.Url((string)entry[url]!));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url} {entry[url]}: {(int)response.StatusCode}");
        }
        var refused = await _admin.PutAsync("/admin/api/media/videos/what%3F.mp4", new ByteArrayContent([0, 0, 0, 0x18]));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AnUploadedVideo_IsPackagedForHls_AndRealPlayersReadIt()
    {
        var file = await TestVideos.SixtySecondsAsync();
        var bytes = await File.ReadAllBytesAsync(file);
        var video = await UploadAndWaitAsync("videos/embassy.mp4", bytes, "ready");
        Assert.Equal(100, (double)video["progress"]!);
        Assert.InRange((double)video["durationSeconds"]!, 59, 61);
        Assert.Equal(640, (int)video["width"]!);
        Assert.Equal(bytes.Length, (long)video["sizeBytes"]!);

        // The mobile API's catalog.
        var catalog = await _app.GetFromJsonAsync<JsonArray>(_site.Url("/api/v1/videos"));
        var entry = catalog!.OfType<JsonObject>().Single();
        Assert.Equal("/media/videos/embassy.mp4", (string?)entry["streamUrl"]);
        Assert.Equal("/media/_video/videos/embassy.mp4/index.m3u8", (string?)entry["hlsUrl"]);
        var one = await _app.GetFromJsonAsync<JsonObject>(_site.Url($"/api/v1/videos/{entry["id"]}"));
        Assert.Equal("ready", (string?)one!["status"]);

        // ffprobe reads the progressive stream and the HLS playlist over HTTP.
        foreach (var url in new[] { (string)entry["streamUrl"]!, (string)entry["hlsUrl"]! })
        {
            var (exit, output, error) = await TestVideos.RunAsync("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", _site.Url(url));
            Assert.True(exit == 0, error);
            Assert.InRange(double.Parse(output.Trim(), CultureInfo.InvariantCulture), 59, 61.5);
        }
        var poster = await _app.GetAsync(_site.Url((string)entry["posterUrl"]!));
        Assert.Equal("image/jpeg", poster.Content.Headers.ContentType?.MediaType);

        // ffmpeg seeks 30 s in by range requests: it reads a few MB, not the whole file.
        var (seekExit, _, log) = await TestVideos.RunAsync("ffmpeg", "-hide_banner", "-loglevel", "verbose", "-ss", "30", "-i",
            _site.Url((string)entry["streamUrl"]!), "-t", "1", "-f", "null", "-");
        Assert.True(seekExit == 0, log);
        var read = ReadStatistics().Matches(log).Sum(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        Assert.True(read > 0 && read < bytes.Length / 3, $"ffmpeg read {read} of {bytes.Length} bytes to seek");
    }

    [Fact]
    public async Task AVideoThatCannotBeProcessed_IsRecordedAsFailed_CanBeRetried_AndItsFileIsUntouched()
    {
        byte[] broken = [0, 0, 0, 0x18, .. "ftypisom"u8.ToArray(), .. Enumerable.Repeat((byte)7, 50_000)];
        var failed = await UploadAndWaitAsync("videos/broken.mp4", broken, "failed");
        Assert.False(string.IsNullOrWhiteSpace((string?)failed["error"]));
        Assert.Equal(HttpStatusCode.Accepted, (await _admin.PostAsync($"/admin/api/videos/{failed["id"]}/retry", null)).StatusCode);
        var again = await UploadAndWaitAsyncById((string)failed["id"]!, "failed");
        Assert.NotNull(again["error"]);
        Assert.Equal(broken, await _app.GetByteArrayAsync(_site.Url("/media/videos/broken.mp4")));
        Assert.Empty((await _app.GetFromJsonAsync<JsonArray>(_site.Url("/api/v1/videos")))!);
    }

    private async Task<JsonObject> UploadAndWaitAsyncById(string id, string until)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var video = (await _admin.GetFromJsonAsync<JsonArray>("/admin/api/videos"))!.OfType<JsonObject>().Single(v => (string?)v["id"] == id);
            if ((string?)video["status"] == until && (int)video["attempts"]! >= 2 || DateTime.UtcNow > deadline)
            {
                return video;
            }
            await Task.Delay(200);
        }
    }

    [GeneratedRegex(@"Statistics: (\d+) bytes read")]
    private static partial Regex ReadStatistics();
}
