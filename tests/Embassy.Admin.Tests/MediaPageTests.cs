using Embassy.Core;
using Embassy.Media.Services;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Embassy.Content.Services;
using Embassy.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.Admin.Tests;

public sealed class MediaPageTests : IAsyncLifetime
{
    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    private EmbassyAppFactory _app = null!;
    private HttpClient _browser = null!;

    public async Task InitializeAsync()
    {
        _app = await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite);
        _browser = await CmiBrowser.SignInAsync(_app);
    }

    public async Task DisposeAsync()
    {
        _browser.Dispose();
        await _app.DisposeAsync();
    }

    private Task<string> TokenAsync(string url) => _browser.TokenAsync(url);

    [Fact]
    public async Task TheLibrary_UploadsAsItsScriptDoes_AndWarnsBeforeDeletingAFileInUse()
    {
        var page = await _browser.GetStringAsync("/admin/media");
        Assert.Contains("<input type=\"file\" id=\"files\" name=\"files\" multiple", page, StringComparison.Ordinal);
        Assert.Contains("<script src=\"/admin/assets/media.js\"></script>", page, StringComparison.Ordinal);
        var script = await _browser.GetAsync("/admin/assets/media.js");
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Contains("upload.onprogress", await script.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // What media.js sends: PUT with the page's antiforgery token in X-CSRF-TOKEN.
        var put = new HttpRequestMessage(HttpMethod.Put, "/admin/api/media/news/photo.png") { Content = new ByteArrayContent(Png) };
        put.Headers.Add("X-CSRF-TOKEN", await TokenAsync("/admin/media"));
        Assert.Equal(HttpStatusCode.Created, (await _browser.SendAsync(put)).StatusCode);
        Assert.Contains("news/photo.png", await _browser.GetStringAsync("/admin/media?folder=news"), StringComparison.Ordinal);
        // The editor's media picker offers the library's files (one, for a field that takes one).
        // Only the kinds of file the field takes are offered (a document is not a news picture), and the core refuses it too.
        var pdf = new HttpRequestMessage(HttpMethod.Put, "/admin/api/media/news/notice.pdf") { Content = new ByteArrayContent("%PDF-1.4\n%\u00e2\u00e3\n1 0 obj\n"u8.ToArray()) };
        pdf.Headers.Add("X-CSRF-TOKEN", await TokenAsync("/admin/media"));
        Assert.Equal(HttpStatusCode.Created, (await _browser.SendAsync(pdf)).StatusCode);
        Assert.DoesNotContain("value=\"news/notice.pdf\"", await _browser.GetStringAsync("/admin/content/edit/new?type=News"), StringComparison.Ordinal);
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var refused = await Assert.ThrowsAsync<ContentValidationException>(() => scope.ServiceProvider.GetRequiredService<ContentManager>().CreateAsync(
                new NewContentItem("News", new JsonObject
                {
                    ["TitlePart"] = new JsonObject { ["Title"] = "Z dokumentem" },
                    ["News"] = new JsonObject { ["Image"] = new JsonObject { ["Paths"] = new JsonArray("news/notice.pdf"), ["MediaTexts"] = new JsonArray("Ogłoszenie") } },
                }) { Publish = true }, default));
            Assert.Contains(refused.Errors, e => e.Contains("'news/notice.pdf' is not a kind of file this field takes", StringComparison.Ordinal));
        }
        var editor = await _browser.GetStringAsync("/admin/content/edit/new?type=News");
        Assert.Matches("<input type=\"radio\" name=\"News.Image\" value=\"news/photo.png\" />\\s*<img src=\"/media/news/photo.png\\?width=100&amp;height=100&amp;format=auto\"", editor);

        await using (var scope = _app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ContentManager>().CreateAsync(new NewContentItem("News", new JsonObject
            {
                ["TitlePart"] = new JsonObject { ["Title"] = "With a photo" },
                ["News"] = new JsonObject { ["Image"] = new JsonObject { ["Paths"] = new JsonArray("news/photo.png") } },
            }), default);
        }
        async Task<HttpResponseMessage> DeleteAsync(bool confirm)
        {
            var fields = new Dictionary<string, string> { ["path"] = "news/photo.png", ["__RequestVerificationToken"] = await TokenAsync("/admin/media") };
            if (confirm)
            {
                fields["confirm"] = "true";
            }
            return await _browser.PostAsync("/admin/media?handler=Delete", new FormUrlEncodedContent(fields));
        }
        Assert.Equal(HttpStatusCode.Redirect, (await DeleteAsync(confirm: false)).StatusCode);
        var warned = WebUtility.HtmlDecode(await _browser.GetStringAsync("/admin/media"));
        Assert.Contains("'news/photo.png' is used by: With a photo", warned, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await _app.CreateClient().GetAsync("/media/news/photo.png")).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await DeleteAsync(confirm: true)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _app.CreateClient().GetAsync("/media/news/photo.png")).StatusCode);
    }

    [Fact]
    public async Task ADeletedFile_WaitsInTheTrash_IsRestoredWithItsBytes_UnlessItsPathIsTaken_AndExpires()
    {
        async Task<HttpStatusCode> PutAsync(string path, byte[] bytes)
        {
            var put = new HttpRequestMessage(HttpMethod.Put, "/admin/api/media/" + path) { Content = new ByteArrayContent(bytes) };
            put.Headers.Add("X-CSRF-TOKEN", await TokenAsync("/admin/media"));
            return (await _browser.SendAsync(put)).StatusCode;
        }
        async Task<HttpResponseMessage> PostAsync(string handler, params (string Key, string Value)[] fields)
        {
            var form = fields.ToDictionary(f => f.Key, f => f.Value);
            form["__RequestVerificationToken"] = await TokenAsync("/admin/media");
            return await _browser.PostAsync($"/admin/media?handler={handler}", new FormUrlEncodedContent(form));
        }
        string TrashId(string page) => Regex.Match(page, "name=\"id\" value=\"([0-9a-f-]+)\"").Groups[1].Value;

        Assert.Equal(HttpStatusCode.Created, await PutAsync("trash/a.png", Png));
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync("Delete", ("path", "trash/a.png"), ("confirm", "true"))).StatusCode);
        var anonymous = _app.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/media/trash/a.png")).StatusCode); // gone for the app at once
        var page = WebUtility.HtmlDecode(await _browser.GetStringAsync("/admin/media"));
        Assert.Contains("'trash/a.png' deleted: it stays restorable below for 7 days.", page, StringComparison.Ordinal);
        Assert.Contains("Recently deleted", page, StringComparison.Ordinal);
        var id = TrashId(page);
        Assert.NotEmpty(id);

        // Restored: the same bytes at the same path, audited.
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync("Restore", ("id", id))).StatusCode);
        Assert.Contains("'trash/a.png' restored.", WebUtility.HtmlDecode(await _browser.GetStringAsync("/admin/media")), StringComparison.Ordinal);
        Assert.Equal(Png, await anonymous.GetByteArrayAsync("/media/trash/a.png"));
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var audit = await scope.ServiceProvider.GetRequiredService<AuditLog>().ListAsync(null, "trash/a.png", 1, 10, default);
            Assert.Contains(audit.Entries, e => e.Action == "media.restore");
        }

        // Deleted again, and another file stored at its path: the restore refuses and keeps both.
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync("Delete", ("path", "trash/a.png"), ("confirm", "true"))).StatusCode);
        id = TrashId(await _browser.GetStringAsync("/admin/media"));
        var other = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"); // a red pixel
        Assert.Equal(HttpStatusCode.Created, await PutAsync("trash/a.png", other));
        await PostAsync("Restore", ("id", id));
        page = WebUtility.HtmlDecode(await _browser.GetStringAsync("/admin/media"));
        Assert.Contains("Another file is stored at 'trash/a.png' now", page, StringComparison.Ordinal);
        Assert.Equal(other, await anonymous.GetByteArrayAsync("/media/trash/a.png"));
        Assert.Equal(id, TrashId(page)); // still in the trash

        // A made-up id (a path, say) names nothing.
        foreach (var hostile in new[] { "../media/trash/a.png", "..", "20260101000000-" + new string('0', 32) })
        {
            await PostAsync("Restore", ("id", hostile));
            Assert.Contains("That file is no longer in the trash.", WebUtility.HtmlDecode(await _browser.GetStringAsync("/admin/media")), StringComparison.Ordinal);
        }

        // After the trash's days, it is removed for good.
        _app.Clock.Advance(TimeSpan.FromDays(8));
        using var later = await CmiBrowser.SignInAsync(_app); // the sign-in of a week ago has expired too
        page = await later.GetStringAsync("/admin/media");
        Assert.DoesNotContain("Recently deleted", page, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateDirectories(_app.Services.GetRequiredService<MediaTrash>().Root));
    }

    [Fact]
    public async Task MediaProfiles_AreEditedInTheCmi_CheckedAsTheRecipeStepChecksThem_AndServed()
    {
        var page = await _browser.GetStringAsync("/admin/media/profiles");
        Assert.Contains(">thumbnail</a>", page, StringComparison.Ordinal); // from the model recipe
        Assert.Contains(">card</a>", page, StringComparison.Ordinal);

        var bad = await _browser.PostFormAsync("/admin/media/profiles", "Save", [new("name", "big one"), new("width", "9000"), new("height", ""), new("mode", "Crop"),
            new("format", "Undefined"), new("quality", ""), new("bgcolor", "reddish"), new("hint", "")]);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync());
        Assert.Contains("'big one' is not a profile name", errors, StringComparison.Ordinal);
        Assert.Contains("Width must be a whole number from 0 to 4096", errors, StringComparison.Ordinal);
        Assert.Contains("BackgroundColor must be a colour", errors, StringComparison.Ordinal);
        Assert.Contains("value=\"big one\"", errors, StringComparison.Ordinal); // the form keeps what was typed

        var saved = await _browser.PostFormAsync("/admin/media/profiles", "Save", [new("name", "square"), new("width", "300"), new("height", "300"), new("mode", "Pad"),
            new("format", "Png"), new("quality", ""), new("bgcolor", "00ff00"), new("hint", "Squares for the office list")]);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Contains("Squares for the office list", await _browser.GetStringAsync("/admin/media/profiles"), StringComparison.Ordinal);

        var put = new HttpRequestMessage(HttpMethod.Put, "/admin/api/media/offices/front.png") { Content = new ByteArrayContent(Png) };
        put.Headers.Add("X-CSRF-TOKEN", await TokenAsync("/admin/media"));
        Assert.Equal(HttpStatusCode.Created, (await _browser.SendAsync(put)).StatusCode);
        var anonymous = _app.CreateClient();
        var square = await anonymous.GetAsync("/media/offices/front.png?profile=square");
        Assert.Equal(HttpStatusCode.OK, square.StatusCode);
        Assert.Equal("image/png", square.Content.Headers.ContentType?.MediaType);
        Assert.Contains("?width=100&amp;height=100&amp;format=auto", await _browser.GetStringAsync("/admin/media?folder=offices"), StringComparison.Ordinal); // the library's thumbnails

        // Deleting a file nobody uses is confirmed too: without the tick, nothing is deleted.
        var unconfirmed = await _browser.PostFormAsync("/admin/media", "Delete", [new("path", "offices/front.png")]);
        Assert.Equal(HttpStatusCode.Redirect, unconfirmed.StatusCode);
        Assert.Contains("Tick \"yes, delete\" beside 'offices/front.png'", WebUtility.HtmlDecode(await _browser.GetStringAsync("/admin/media?folder=offices")), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/media/offices/front.png")).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await _browser.PostFormAsync("/admin/media/profiles", "Delete", [new("name", "square")])).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.GetAsync("/media/offices/front.png?profile=square")).StatusCode);
    }
}
