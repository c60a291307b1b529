using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Embassy.Content.Services;
using Embassy.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.Admin.Tests;

/// <summary>
/// Preview links: with one, the API shows an item's latest draft (private, no-store); without one, or once it is revoked
/// or expired, no draft is ever visible — and a draft never reaches the shared response cache, whichever request came first.
/// </summary>
public sealed partial class PreviewTests : IAsyncLifetime
{
    private EmbassyAppFactory _app = null!;

    public async Task InitializeAsync() =>
        _app = await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite, new Dictionary<string, string?> { ["MobileApi:HeadPollInterval"] = "00:00:00.050" });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<string> ItemAsync(string title, bool publish)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var item = await scope.ServiceProvider.GetRequiredService<ContentManager>().CreateAsync(new NewContentItem("Faq", new JsonObject
        {
            ["TitlePart"] = new JsonObject { ["Title"] = title },
            ["LocalizationPart"] = new JsonObject { ["Culture"] = "en", ["LocalizationSet"] = Guid.NewGuid().ToString("N") },
        }) { Publish = publish, Owner = "someone-else" }, default);
        return item.ContentItemId;
    }

    internal static async Task<string> MakeLinkAsync(HttpClient browser, string? id, string hours = "1")
    {
        var made = await browser.PostFormAsync("/admin/previews", "Create", new Dictionary<string, string> { ["id"] = id ?? "", ["hours"] = hours, ["name"] = "test" });
        Assert.Equal(HttpStatusCode.Redirect, made.StatusCode);
        var page = WebUtility.HtmlDecode(await browser.GetStringAsync("/admin/previews"));
        Assert.Contains("data:image/png;base64,", page, StringComparison.Ordinal); // its QR code
        return Regex.Match(page, "id=\"preview-link\" readonly value=\"([^\"]+)\"").Groups[1].Value;
    }

    internal static string TokenOf(string link) => Regex.Match(link, "preview=(pv_[A-Za-z0-9_-]+)").Groups[1].Value;

    [Fact]
    public async Task ALink_ShowsTheDraft_PrivateAndUncached_AndNothingWithoutIt_OrOnceRevokedOrExpired()
    {
        var admin = await CmiBrowser.SignInAsync(_app);
        var api = _app.CreateClient();
        var id = await ItemAsync("Published title", publish: true);
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ContentManager>().UpdateDraftAsync(id, new JsonObject
            {
                ["TitlePart"] = new JsonObject { ["Title"] = "Draft title" },
            }, "editor", default);
        }
        // Without a token first: the published version, cached.
        Assert.Equal("Published title", (string?)(await api.GetFromJsonAsync<JsonObject>($"/api/v1/items/{id}"))!["title"]);

        var link = await MakeLinkAsync(admin, id);
        Assert.StartsWith("http://localhost/api/v1/items/" + id + "?preview=pv_", link, StringComparison.Ordinal);
        var token = TokenOf(link);
        foreach (var request in new[]
                 {
                     new HttpRequestMessage(HttpMethod.Get, $"/api/v1/items/{id}?preview={token}"),
                     new HttpRequestMessage(HttpMethod.Get, $"/api/v1/items/{id}") { Headers = { { "X-Preview-Token", token } } },
                 })
        {
            var previewed = await api.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, previewed.StatusCode);
            var json = (await previewed.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Equal("Draft title", (string?)json["title"]);
            Assert.True((bool?)json["preview"]);
            Assert.True(previewed.Headers.CacheControl!.NoStore);
            Assert.True(previewed.Headers.CacheControl.Private);
        }
        // Without it again: still the published version, never the draft (the cache holds only what is public).
        var plain = await api.GetAsync($"/api/v1/items/{id}");
        Assert.Equal("Published title", (string?)(await plain.Content.ReadFromJsonAsync<JsonObject>())!["title"]);
        Assert.False(plain.Headers.CacheControl!.NoStore);

        // A draft that was never published: 404 without the token, the draft with it (asked with the token first this time).
        var unpublished = await ItemAsync("Never published", publish: false);
        var second = TokenOf(await MakeLinkAsync(admin, null, "8")); // a link to every draft
        Assert.Equal("Never published", (string?)(await api.GetFromJsonAsync<JsonObject>($"/api/v1/items/{unpublished}?preview={second}"))!["title"]);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/items/{unpublished}")).StatusCode);
        Assert.DoesNotContain("Never published", await api.GetStringAsync("/api/v1/content/Faq"), StringComparison.Ordinal);

        // The first link is for one item only; made-up tokens name nothing.
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync($"/api/v1/items/{unpublished}?preview={token}")).StatusCode);
        foreach (var bad in new[] { "pv_nothing-like-this-at-all", "x", new string('a', 500) })
        {
            var refused = await api.GetAsync($"/api/v1/items/{id}?preview={Uri.EscapeDataString(bad)}");
            Assert.True(refused.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest, $"{bad[..Math.Min(bad.Length, 20)]}: {refused.StatusCode}");
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }
        // The sync keeps published content only: the app's offline store never holds a draft.
        var sync = await api.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/sync") { Headers = { { "X-Preview-Token", token } } });
        Assert.Equal(HttpStatusCode.BadRequest, sync.StatusCode);
        Assert.Contains("previews are not synced", await sync.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Revoked: nothing any more.
        var listed = await admin.GetStringAsync("/admin/previews");
        var firstId = Regex.Matches(listed, "name=\"id\" value=\"([^\"]+)\"").Select(m => m.Groups[1].Value).Last(); // the older link is listed last
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/admin/previews", "Revoke", new Dictionary<string, string> { ["id"] = firstId })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync($"/api/v1/items/{id}?preview={token}")).StatusCode);
        // Expired: nothing any more (the 8-hour link, 9 hours on).
        _app.Clock.Advance(TimeSpan.FromHours(9));
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync($"/api/v1/items/{unpublished}?preview={second}")).StatusCode);
    }

    private async Task<string> CreateAsync(string type, JsonObject content, bool publish)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        content["LocalizationPart"] = new JsonObject { ["Culture"] = "en", ["LocalizationSet"] = Guid.NewGuid().ToString("N") };
        return (await scope.ServiceProvider.GetRequiredService<ContentManager>().CreateAsync(new NewContentItem(type, content) { Publish = publish }, default)).ContentItemId;
    }

    private async Task EditAsync(string id, JsonObject content)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ContentManager>().UpdateDraftAsync(id, content, "editor", default);
    }

    private static JsonObject Faq(string title, double order) => new()
    {
        ["TitlePart"] = new JsonObject { ["Title"] = title },
        ["Faq"] = new JsonObject { ["Order"] = new JsonObject { ["Value"] = order } },
    };

    /// <summary>Every page of a list, following next, as the titles in order.</summary>
    private static async Task<List<string>> TitlesAsync(HttpClient api, string list, string? token)
    {
        var titles = new List<string>();
        for (var url = list; url is not null;)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (token is not null)
            {
                request.Headers.Add("X-Preview-Token", token);
            }
            var response = await api.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(token is not null, response.Headers.CacheControl!.NoStore);
            var page = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Equal(token is not null ? true : null, (bool?)page["preview"]);
            titles.AddRange(page["items"]!.AsArray().Select(i => (string)i!["title"]!));
            url = (string?)page["next"] is { } next ? list + "&cursor=" + Uri.EscapeDataString(next) : null;
        }
        return titles;
    }

    /// <summary>#31 probe: guessing preview tokens is limited per address (20 wrong a minute, then 429 before any lookup,
    /// the real token too); another address is not held up. A token is 256 random bits: the limit keeps guesses cheap.</summary>
    [Fact]
    public async Task WrongPreviewTokens_AreLimitedPerAddress_AndARevocationHoldsAtOnceOnAnotherServer()
    {
        var admin = await CmiBrowser.SignInAsync(_app);
        var id = await ItemAsync("Guessed item", publish: false);
        var token = TokenOf(await MakeLinkAsync(admin, id));
        HttpClient From(string address)
        {
            var client = _app.CreateClient();
            client.DefaultRequestHeaders.Add(TestClientAddress.Header, address);
            return client;
        }
        var guesser = From("203.0.113.30");
        for (var i = 0; i < 20; i++)
        {
            var guess = "pv_" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            Assert.Equal(HttpStatusCode.Unauthorized, (await guesser.GetAsync($"/api/v1/items/{id}?preview={guess}")).StatusCode);
        }
        var limited = await guesser.GetAsync($"/api/v1/items/{id}?preview=pv_one-more-guess-0123456789");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await guesser.GetAsync($"/api/v1/items/{id}?preview={token}")).StatusCode);
        // Without a token the address is served as before (the item was never published: 404, not 429).
        Assert.Equal(HttpStatusCode.NotFound, (await guesser.GetAsync($"/api/v1/items/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await From("198.51.100.30").GetAsync($"/api/v1/items/{id}?preview={token}")).StatusCode);

        // Revoked on one server, refused at once by the other (another process, the same database: no server keeps a
        // token it has seen).
        await using var other = new EmbassyAppFactory(_app.DataDirectory);
        var otherApi = other.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await otherApi.GetAsync($"/api/v1/items/{id}?preview={token}")).StatusCode);
        var listed = await admin.GetStringAsync("/admin/previews");
        var tokenId = Regex.Matches(listed, "name=\"id\" value=\"([^\"]+)\"").Select(m => m.Groups[1].Value).First();
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/admin/previews", "Revoke", new Dictionary<string, string> { ["id"] = tokenId })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await otherApi.GetAsync($"/api/v1/items/{id}?preview={token}")).StatusCode);
    }

    [Fact]
    public async Task ALink_ShowsDraftsInLists_WhereTheirOrderPutsThem_AndByAliasAndPath()
    {
        var admin = await CmiBrowser.SignInAsync(_app);
        var api = _app.CreateClient();
        // FAQs in the type's order (a number): 1 and 3 published, 4 published with a retitled draft, 2 never published.
        await CreateAsync("Faq", Faq("Q1001", 1001), publish: true);
        await CreateAsync("Faq", Faq("Q1003", 1003), publish: true);
        var four = await CreateAsync("Faq", Faq("Q1004", 1004), publish: true);
        await EditAsync(four, Faq("Q1004 edited", 1004));
        var two = await CreateAsync("Faq", Faq("Q1002 new", 1002), publish: false);

        var all = TokenOf(await MakeLinkAsync(admin, null));
        const string faqs = "/api/v1/content/Faq?culture=en&limit=2";
        var published = (await TitlesAsync(api, faqs, null)).Where(t => t.StartsWith("Q10", StringComparison.Ordinal)).ToList();
        Assert.Equal(["Q1001", "Q1003", "Q1004"], published);
        // Through every page of two: each draft once, where its number puts it.
        var previewed = (await TitlesAsync(api, faqs, all)).Where(t => t.StartsWith("Q10", StringComparison.Ordinal)).ToList();
        Assert.Equal(["Q1001", "Q1002 new", "Q1003", "Q1004 edited"], previewed);
        // A link to one item shows that one's draft only.
        var one = TokenOf(await MakeLinkAsync(admin, two));
        Assert.Equal(["Q1001", "Q1002 new", "Q1003", "Q1004"],
            (await TitlesAsync(api, faqs, one)).Where(t => t.StartsWith("Q10", StringComparison.Ordinal)).ToList());
        // And the public list did not keep any of it.
        Assert.Equal(published, (await TitlesAsync(api, faqs, null)).Where(t => t.StartsWith("Q10", StringComparison.Ordinal)).ToList());

        // Newest first: a new draft is at the top of the first page, where it will be once published.
        await CreateAsync("News", new JsonObject
        {
            ["TitlePart"] = new JsonObject { ["Title"] = "Breaking draft" },
            ["AutoroutePart"] = new JsonObject { ["Path"] = "news/breaking-draft" },
        }, publish: false);
        Assert.Equal("Breaking draft", (await TitlesAsync(api, "/api/v1/content/News?culture=en", all))[0]);
        Assert.DoesNotContain("Breaking draft", await TitlesAsync(api, "/api/v1/content/News?culture=en", null));

        // By path and by alias: the draft's, and the published path of an item renamed in its draft shows that draft.
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/items/by-path?path=news/breaking-draft")).StatusCode);
        Assert.Equal("Breaking draft", (string?)(await api.GetFromJsonAsync<JsonObject>($"/api/v1/items/by-path?path=news/breaking-draft&preview={all}"))!["title"]);
        var office = await CreateAsync("Office", new JsonObject
        {
            ["TitlePart"] = new JsonObject { ["Title"] = "Consulate" },
            ["AliasPart"] = new JsonObject { ["Alias"] = "test-consulate" },
        }, publish: true);
        await EditAsync(office, new JsonObject
        {
            ["TitlePart"] = new JsonObject { ["Title"] = "Consulate General" },
            ["AliasPart"] = new JsonObject { ["Alias"] = "test-consulate-general" },
        });
        foreach (var alias in new[] { "test-consulate", "test-consulate-general" })
        {
            Assert.Equal("Consulate General", (string?)(await api.GetFromJsonAsync<JsonObject>($"/api/v1/items/by-alias/{alias}?preview={all}"))!["title"]);
        }
        Assert.Equal("Consulate", (string?)(await api.GetFromJsonAsync<JsonObject>("/api/v1/items/by-alias/test-consulate"))!["title"]);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/items/by-alias/test-consulate-general")).StatusCode);
        // A link to another item: refused, not answered with the published version.
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync($"/api/v1/items/by-alias/test-consulate?preview={one}")).StatusCode);
    }

    [Fact]
    public async Task AnAuthor_MakesLinksToTheirOwnItems_Only()
    {
        var admin = await CmiBrowser.SignInAsync(_app);
        var created = await admin.PostFormAsync("/admin/users", "Create", new Dictionary<string, string> { ["userName"] = "ola", ["password"] = "Strong-Password-1", ["role"] = "Author" });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var author = await CmiBrowser.SignInAsync(_app, "ola", "Strong-Password-1");
        var others = await ItemAsync("Someone else's", publish: false);
        Assert.Equal(HttpStatusCode.NotFound, (await author.PostFormAsync("/admin/previews", "Create", new Dictionary<string, string> { ["id"] = others, ["hours"] = "1" })).StatusCode);
        var all = await author.PostFormAsync("/admin/previews", "Create", new Dictionary<string, string> { ["id"] = "", ["hours"] = "1" });
        Assert.Equal(HttpStatusCode.Redirect, all.StatusCode); // forbidden: to the CMI's "not allowed" page
        Assert.Contains("/admin/denied", all.Headers.Location!.OriginalString, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("preview-link", await author.GetStringAsync("/admin/previews"), StringComparison.Ordinal);
        // The core checks too, whoever calls it: as the author, neither someone else's item nor every draft.
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Microsoft.AspNetCore.Identity.IdentityUser>>();
            var ola = await scope.ServiceProvider.GetRequiredService<Embassy.Core.UserRights>().PrincipalAsync((await users.FindByNameAsync("ola"))!.Id);
            var accessor = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Http.IHttpContextAccessor>();
            accessor.HttpContext = new Microsoft.AspNetCore.Http.DefaultHttpContext { User = ola! };
            try
            {
                var tokens = scope.ServiceProvider.GetRequiredService<Embassy.Content.Preview.PreviewTokens>();
                await Assert.ThrowsAsync<ContentForbiddenException>(() => tokens.CreateAsync(others, "x", TimeSpan.FromHours(1), default));
                await Assert.ThrowsAsync<ContentForbiddenException>(() => tokens.CreateAsync(null, "x", TimeSpan.FromHours(1), default));
            }
            finally
            {
                accessor.HttpContext = null;
            }
        }
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/admin/previews", "Create", new Dictionary<string, string> { ["id"] = others, ["hours"] = "48" })).StatusCode);
        Assert.Contains("A preview link lasts 1, 8 or 24 hours.", WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/previews")), StringComparison.Ordinal);
    }
}
