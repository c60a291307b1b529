using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Embassy.Content.Services;
using Embassy.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.Admin.Tests;

public sealed class CmiTests : IAsyncLifetime
{
    private EmbassyAppFactory _app = null!;

    public async Task InitializeAsync() =>
        _app = await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite, new Dictionary<string, string?> { ["MobileApi:HeadPollInterval"] = "00:00:00.050" });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private HttpClient Browser() => CmiBrowser.Open(_app);

    private Task<HttpClient> SignInAsync(string user = "admin", string password = EmbassyAppFactory.AdminPassword) =>
        CmiBrowser.SignInAsync(_app, user, password);

    private static Task<HttpResponseMessage> LoginAsync(HttpClient browser, string user, string password) => browser.LoginAsync(user, password);

    /// <summary>An item from the mobile API, or null while it does not serve it.</summary>
    private async Task<JsonObject?> ItemAsync(string url)
    {
        var response = await Browser().GetAsync(url);
        return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<JsonObject>() : null;
    }

    [Theory]
    [InlineData("/admin")]
    [InlineData("/admin/content/News")]
    [InlineData("/admin/content/edit/new?type=News")]
    [InlineData("/admin/users")]
    [InlineData("/admin/roles")]
    [InlineData("/admin/audit")]
    [InlineData("/admin/settings")]
    [InlineData("/admin/media")]
    [InlineData("/admin/recipes")]
    public async Task EveryPage_SendsAnonymousUsersToSignIn(string url)
    {
        var response = await Browser().GetAsync(url);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/admin/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/admin/users?handler=Create")]
    [InlineData("/admin/users?handler=Lock")]
    [InlineData("/admin/roles?handler=Save")]
    [InlineData("/admin/roles?handler=Create")]
    [InlineData("/admin/settings")]
    [InlineData("/admin/content/News?handler=Bulk")]
    [InlineData("/admin/content/edit/new?type=News&handler=Publish")]
    [InlineData("/admin/recipes")]
    [InlineData("/admin/logout")]
    public async Task EveryForm_RefusesASignedInPostWithoutTheAntiforgeryToken(string url)
    {
        var browser = await SignInAsync();
        var response = await browser.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "x", ["action"] = "delete" }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task FormsWithoutTheAntiforgeryToken_AreRefused()
    {
        var browser = await SignInAsync();
        var response = await browser.PostAsync("/admin/content/edit/new?type=News&handler=Save",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["TitlePart.Title"] = "forged" }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var login = await Browser().PostAsync("/admin/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["UserName"] = "admin", ["Password"] = "x" }));
        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
    }

    [Fact]
    public async Task AnEditor_CreatesAPolishNewsItem_PublishesIt_AndTheAppSeesIt_WithHtmlSanitized()
    {
        var browser = await SignInAsync();
        var dashboard = await browser.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("Recent changes", await dashboard.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", dashboard.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        var form = await browser.GetStringAsync("/admin/content/edit/new?type=News");
        foreach (var field in new[] { "TitlePart.Title", "News.Summary", "News.Category", "HtmlBodyPart.Html", "LocalizationPart.Culture", "AutoroutePart.Path" })
        {
            Assert.Contains($"name=\"{field}\"", form, StringComparison.Ordinal);
        }
        var saved = await browser.PostFormAsync("/admin/content/edit/new?type=News", "Publish", new Dictionary<string, string>
        {
            ["type"] = "News",
            ["TitlePart.Title"] = "Nowe godziny otwarcia",
            ["News.Summary"] = "Od poniedziałku nowe godziny.",
            ["News.Category"] = "news",
            ["HtmlBodyPart.Html"] = "<p>Treść</p><script>alert('x')</script>",
            ["LocalizationPart.Culture"] = "pl",
            ["AutoroutePart.Path"] = "aktualnosci/godziny",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var id = saved.Headers.Location!.OriginalString.Split('/')[^1];

        var item = await Eventually.ValueAsync(() => ItemAsync($"/api/v1/items/{id}"), i => i is not null, "the published item reaches the mobile API", TimeSpan.FromSeconds(5));
        Assert.Equal("Nowe godziny otwarcia", (string?)item!["title"]);
        Assert.Equal("pl", (string?)item["culture"]);
        Assert.Equal("Od poniedziałku nowe godziny.", (string?)item["fields"]!["summary"]);
        Assert.Equal("<p>Treść</p>", (string?)item["fields"]!["body"]);
        Assert.Contains("Nowe godziny otwarcia", await browser.GetStringAsync("/admin/content/News?q=godziny"), StringComparison.Ordinal);
        // The editor's preview is the app's JSON for the item.
        var editor = WebUtility.HtmlDecode(await browser.GetStringAsync($"/admin/content/edit/{id}"));
        Assert.Contains("Preview: what the app receives", editor, StringComparison.Ordinal);
        Assert.Contains("\"summary\": \"Od poniedziałku nowe godziny.\"", editor, StringComparison.Ordinal);
        Assert.Contains($"\"id\": \"{id}\"", editor, StringComparison.Ordinal);
    }

    /// <summary>MediaField's alternative text (MediaTexts) and focal point (Anchors), added through the field registry:
    /// the kind's editor offers them per file, keeps them when the form is saved again, and the app receives them.</summary>
    [Fact]
    public async Task AnImagesAltTextAndFocalPoint_AreEdited_KeptOnResave_AndSentToTheApp()
    {
        var browser = await SignInAsync();
        var form = new Dictionary<string, string>
        {
            ["type"] = "News", ["TitlePart.Title"] = "Konsul w Krakowie", ["News.Summary"] = "Wizyta.", ["News.Category"] = "news",
            ["LocalizationPart.Culture"] = "pl", ["News.Image"] = "news/konsul.jpg",
        };
        var saved = await browser.PostFormAsync("/admin/content/edit/new?type=News", "Save", form);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var id = saved.Headers.Location!.OriginalString.Split('/')[^1];
        var page = await browser.GetStringAsync($"/admin/content/edit/{id}");
        Assert.Contains("name=\"News.Image.Text:news/konsul.jpg\"", page, StringComparison.Ordinal);
        Assert.Contains("name=\"News.Image.Anchor:news/konsul.jpg\"", page, StringComparison.Ordinal);

        var bad = new Dictionary<string, string>(form) { ["News.Image.Anchor:news/konsul.jpg"] = "2,0.5" };
        Assert.Contains("focal point of news/konsul.jpg must be two numbers from 0 to 1",
            WebUtility.HtmlDecode(await (await browser.PostFormAsync($"/admin/content/edit/{id}", "Save", bad)).Content.ReadAsStringAsync()), StringComparison.Ordinal);

        var described = new Dictionary<string, string>(form)
        {
            ["News.Image.Text:news/konsul.jpg"] = "Konsul przy biurku", ["News.Image.Anchor:news/konsul.jpg"] = "0.25,0.75",
        };
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFormAsync($"/admin/content/edit/{id}", "Save", described)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFormAsync($"/admin/content/edit/{id}", "Publish", form)).StatusCode); // without them: kept
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var image = (await scope.ServiceProvider.GetRequiredService<ContentManager>().GetLatestAsync(id, default))!.Content["News"]!["Image"]!;
            Assert.Equal("Konsul przy biurku", (string?)image["MediaTexts"]![0]);
            Assert.Equal(0.25, (double)image["Anchors"]![0]!["X"]!);
        }
        var item = await Eventually.ValueAsync(() => ItemAsync($"/api/v1/items/{id}"), i => i is not null, "the item reaches the API", TimeSpan.FromSeconds(5));
        var file = item!["fields"]!["image"]![0]!;
        Assert.Equal(("Konsul przy biurku", 0.25, 0.75), ((string?)file["text"], (double)file["focalPoint"]!["x"]!, (double)file["focalPoint"]!["y"]!));
    }

    /// <summary>Two tabs edit the same item: the second save is refused (nothing of it written) and shows what differs;
    /// saving again from the refused form replaces the other, knowingly.</summary>
    [Fact]
    public async Task ASaveOverANewerVersion_IsRefused_AndShowsWhatDiffers()
    {
        var browser = await SignInAsync();
        var form = new Dictionary<string, string>
        {
            ["type"] = "News", ["TitlePart.Title"] = "Godziny", ["News.Summary"] = "Pierwsza wersja.", ["News.Category"] = "news", ["LocalizationPart.Culture"] = "pl",
        };
        var created = await browser.PostFormAsync("/admin/content/edit/new?type=News", "Save", form);
        var id = created.Headers.Location!.OriginalString.Split('/')[^1];
        static string RevisionIn(string page) => System.Text.RegularExpressions.Regex.Match(page, "name=\"revision\" value=\"([^\"]+)\"").Groups[1].Value;
        var tab1 = RevisionIn(await browser.GetStringAsync($"/admin/content/edit/{id}"));
        var tab2 = RevisionIn(await browser.GetStringAsync($"/admin/content/edit/{id}"));
        Assert.NotEmpty(tab1);
        Assert.Equal(tab1, tab2);

        var first = new Dictionary<string, string>(form) { ["News.Summary"] = "Poprawka z pierwszej karty.", ["revision"] = tab1 };
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFormAsync($"/admin/content/edit/{id}", "Save", first)).StatusCode);
        var second = new Dictionary<string, string>(form) { ["News.Summary"] = "Poprawka z drugiej karty.", ["revision"] = tab2 };
        var refused = await browser.PostFormAsync($"/admin/content/edit/{id}", "Save", second);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var page = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Contains("Nothing of yours was saved", page, StringComparison.Ordinal);
        Assert.Contains("What differs", page, StringComparison.Ordinal);
        Assert.Contains("Poprawka z pierwszej karty.", page, StringComparison.Ordinal);
        Assert.Contains("Poprawka z drugiej karty.", page, StringComparison.Ordinal);
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var latest = await scope.ServiceProvider.GetRequiredService<ContentManager>().GetLatestAsync(id, default);
            Assert.Equal("Poprawka z pierwszej karty.", (string?)latest!.Content["News"]!["Summary"]!["Text"]);
        }
        // The refused form now starts from the newer revision: saving it again replaces theirs, knowingly.
        var again = new Dictionary<string, string>(second) { ["revision"] = RevisionIn(page) };
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFormAsync($"/admin/content/edit/{id}", "Save", again)).StatusCode);
    }

    [Fact]
    public async Task AnEmptyNews_CannotBePublished()
    {
        var browser = await SignInAsync();
        var response = await browser.PostFormAsync("/admin/content/edit/new?type=News", "Publish", new Dictionary<string, string>
        {
            ["type"] = "News", ["TitlePart.Title"] = " ", ["LocalizationPart.Culture"] = "pl",
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("A title is required to publish.", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        await using var scope = _app.Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<ContentManager>();
        // The core refuses it too, whoever asks (an API, a script).
        var draft = await manager.CreateAsync(new NewContentItem("News", new JsonObject { ["TitlePart"] = new JsonObject { ["Title"] = "" } }), default);
        var refused = await Assert.ThrowsAsync<ContentValidationException>(() => manager.PublishAsync(draft.ContentItemId, default));
        Assert.Contains("TitlePart.Title: a title is required to publish", refused.Errors);
    }

    /// <summary>A link is an address and its words, in two inputs; an address with a space, or one the app cannot open, is refused.</summary>
    [Fact]
    public async Task ALinkField_IsAnAddressAndWords_AndABadAddressIsRefused()
    {
        var browser = await SignInAsync();
        var form = new Dictionary<string, string>
        {
            ["type"] = "ConsularService", ["TitlePart.Title"] = "Paszporty", ["LocalizationPart.Culture"] = "pl",
            ["ConsularService.Appointment.Url"] = "https://pl.usembassy.gov/ passports", ["ConsularService.Appointment.Text"] = "Umów wizytę",
        };
        var page = await browser.GetStringAsync("/admin/content/edit/new?type=ConsularService");
        Assert.Contains("name=\"ConsularService.Appointment.Url\"", page, StringComparison.Ordinal);
        Assert.Contains("name=\"ConsularService.Appointment.Text\"", page, StringComparison.Ordinal);
        var refused = await browser.PostFormAsync("/admin/content/edit/new?type=ConsularService", "Save", form);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("is not a link the app can open", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        // In Polish, the form's messages are Polish too.
        using (var polish = await SignInAsync())
        {
            await polish.GetAsync("/admin/language/pl");
            var inPolish = WebUtility.HtmlDecode(await (await polish.PostFormAsync("/admin/content/edit/new?type=ConsularService", "Save",
                new Dictionary<string, string>(form) { ["PublishLaterPart.ScheduledPublishUtc"] = "jutro" })).Content.ReadAsStringAsync());
            Assert.Contains("nie jest linkiem, który aplikacja otworzy", inPolish, StringComparison.Ordinal);
            Assert.Contains("nie jest datą i godziną w formacie RRRR-MM-DD GG:MM", inPolish, StringComparison.Ordinal);
        }
        foreach (var bad in new[] { "javascript:alert(1)", "https://", "www.example.org" })
        {
            var response = await browser.PostFormAsync("/admin/content/edit/new?type=ConsularService", "Save", new Dictionary<string, string>(form) { ["ConsularService.Appointment.Url"] = bad });
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, bad);
        }

        var saved = await browser.PostFormAsync("/admin/content/edit/new?type=ConsularService", "Save",
            new Dictionary<string, string>(form) { ["ConsularService.Appointment.Url"] = "https://pl.usembassy.gov/passports/" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var id = saved.Headers.Location!.OriginalString.Split('/')[^1];
        await using var scope = _app.Services.CreateAsyncScope();
        var link = (await scope.ServiceProvider.GetRequiredService<ContentManager>().GetLatestAsync(id, default))!.Content["ConsularService"]!["Appointment"]!;
        Assert.Equal(("https://pl.usembassy.gov/passports/", "Umów wizytę"), ((string?)link["Url"], (string?)link["Text"]));
        Assert.Contains("value=\"Umów wizytę\"", WebUtility.HtmlDecode(await browser.GetStringAsync($"/admin/content/edit/{id}")), StringComparison.Ordinal);
    }

    /// <summary>Times in the CMI are the editor's own, in the site's zone, whatever the browser's language: 10:00 in Warsaw
    /// is stored as 09:00 UTC in winter and 08:00 UTC in summer, and shown back as 10:00; an hour the clocks skip is refused.</summary>
    [Theory]
    [InlineData("2027-01-15 10:00", "2027-01-15T09:00:00Z")]
    [InlineData("2027-07-15 10:00", "2027-07-15T08:00:00Z")]
    public async Task ATimeTyped_IsTheSitesZone_StoredUtc_AndShownBackAsTyped(string typed, string storedUtc)
    {
        var browser = await SignInAsync();
        var form = new Dictionary<string, string>
        {
            ["type"] = "Alert", ["TitlePart.Title"] = "Planned closure", ["Alert.Severity"] = "info", ["LocalizationPart.Culture"] = "en",
            ["PublishLaterPart.ScheduledPublishUtc"] = typed,
        };
        var page = WebUtility.HtmlDecode(await browser.GetStringAsync("/admin/content/edit/new?type=Alert"));
        Assert.Contains("Your time (Europe/Warsaw), as YYYY-MM-DD HH:MM.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("type=\"datetime-local\"", page, StringComparison.Ordinal); // the browser's locale does not decide the format
        var saved = await browser.PostFormAsync("/admin/content/edit/new?type=Alert", "Save", form);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var id = saved.Headers.Location!.OriginalString.Split('/')[^1];
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var item = await scope.ServiceProvider.GetRequiredService<ContentManager>().GetLatestAsync(id, default);
            Assert.Equal(storedUtc, (string?)item!.Content["PublishLaterPart"]!["ScheduledPublishUtc"]);
        }
        Assert.Contains($"value=\"{typed}\"", await browser.GetStringAsync($"/admin/content/edit/{id}"), StringComparison.Ordinal);

        var skipped = await browser.PostFormAsync("/admin/content/edit/new?type=Alert", "Save",
            new Dictionary<string, string>(form) { ["PublishLaterPart.ScheduledPublishUtc"] = "2027-03-28 02:30" });
        Assert.Equal(HttpStatusCode.BadRequest, skipped.StatusCode);
        Assert.Contains("does not exist in Europe/Warsaw", WebUtility.HtmlDecode(await skipped.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrongFieldValue_IsShownNextToTheForm_AndNothingIsSaved()
    {
        var browser = await SignInAsync();
        var response = await browser.PostFormAsync("/admin/content/edit/new?type=ConsularService", "Save", new Dictionary<string, string>
        {
            ["type"] = "ConsularService", ["TitlePart.Title"] = "Wizy", ["ConsularService.FeeUsd"] = "a lot",
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        // The message sits under its own input, which is marked invalid.
        Assert.Contains("data-for=\"ConsularService.FeeUsd\">Fee (USD) is not a number.</div>", page, StringComparison.Ordinal);
        Assert.Matches("name=\"ConsularService.FeeUsd\"[^>]*aria-invalid=\"true\"", page);
        await using var scope = _app.Services.CreateAsyncScope();
        var (items, _) = await scope.ServiceProvider.GetRequiredService<EditorQueries>().ListAsync(new EditorListQuery("ConsularService") { Search = "Wizy", Status = EditorStatus.Draft }, default);
        Assert.Empty(items);
    }

    [Fact]
    public async Task ContentSearch_FindsWordsInTheText_NotOnlyInTitles()
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<ContentManager>();
        await manager.CreateAsync(new NewContentItem("News", new JsonObject
        {
            ["TitlePart"] = new JsonObject { ["Title"] = "Komunikat konsularny" },
            ["HtmlBodyPart"] = new JsonObject { ["Html"] = "<p>Zgubiony paszport: zgłoś się do konsulatu w Krakowie.</p>" },
        }), default);
        var queries = scope.ServiceProvider.GetRequiredService<EditorQueries>();
        foreach (var term in new[] { "paszport", "Krakowie", "zgłoś", "Komunikat" })
        {
            var (items, _) = await queries.ListAsync(new EditorListQuery("News") { Search = term }, default);
            Assert.True(items.Count == 1 && items[0].DisplayText == "Komunikat konsularny", $"'{term}' found {items.Count} items");
        }
        Assert.Empty((await queries.ListAsync(new EditorListQuery("News") { Search = "wizy turystyczne" }, default)).Items);
    }

    [Fact]
    public async Task AnAuthor_SavesDrafts_ButCannotPublish()
    {
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            var author = new IdentityUser("author");
            Assert.True((await users.CreateAsync(author, "Author-Password-1")).Succeeded);
            Assert.True((await users.AddToRoleAsync(author, "Author")).Succeeded);
        }
        var browser = await SignInAsync("author", "Author-Password-1");
        var fields = new Dictionary<string, string> { ["type"] = "News", ["TitlePart.Title"] = "Szkic autora", ["LocalizationPart.Culture"] = "pl" };
        var draft = await browser.PostFormAsync("/admin/content/edit/new?type=News", "Save", new Dictionary<string, string>(fields));
        Assert.Equal(HttpStatusCode.Redirect, draft.StatusCode);
        var publish = await browser.PostFormAsync("/admin/content/edit/new?type=News", "Publish", new Dictionary<string, string>(fields));
        Assert.Equal(HttpStatusCode.Redirect, publish.StatusCode);
        Assert.StartsWith("/admin/denied", publish.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync(publish.Headers.Location)).StatusCode);
        await using var check = _app.Services.CreateAsyncScope();
        var (items, _) = await check.ServiceProvider.GetRequiredService<EditorQueries>().ListAsync(new EditorListQuery("News") { Search = "Szkic autora", Status = EditorStatus.Published }, default);
        Assert.Empty(items);
    }

    [Fact]
    public async Task AnEditor_AddsTheEnglishTranslation_AndRestoresAnOldVersion()
    {
        var browser = await SignInAsync();
        var created = await browser.PostFormAsync("/admin/content/edit/new?type=News", "Publish", new Dictionary<string, string>
        {
            ["type"] = "News", ["TitlePart.Title"] = "Wersja pierwsza", ["LocalizationPart.Culture"] = "pl",
        });
        var polishId = created.Headers.Location!.OriginalString.Split('/')[^1];
        var page = $"/admin/content/edit/{polishId}";
        Assert.Contains("en: <em>missing</em>", await browser.GetStringAsync(page), StringComparison.Ordinal);

        async Task<IReadOnlyList<Embassy.Content.Models.ContentVersionSummary>> HistoryAsync()
        {
            await using var scope = _app.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<ContentManager>().ListVersionsAsync(polishId, default);
        }
        var before = await HistoryAsync();
        var translated = await browser.PostFormAsync(page, "Translate", new Dictionary<string, string> { ["culture"] = "en" });
        var englishId = translated.Headers.Location!.OriginalString.Split('/')[^1];
        Assert.NotEqual(polishId, englishId);
        // The original is untouched: no new version, nothing republished (phones would be notified twice).
        Assert.Equal(before.Select(v => v.ContentItemVersionId), (await HistoryAsync()).Select(v => v.ContentItemVersionId));
        var englishPage = $"/admin/content/edit/{englishId}";
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFormAsync(englishPage, "Publish", new Dictionary<string, string>
        {
            ["type"] = "News", ["TitlePart.Title"] = "First version", ["LocalizationPart.Culture"] = "en",
        })).StatusCode);
        var english = await Eventually.ValueAsync(() => ItemAsync($"/api/v1/items/{polishId}?culture=en"), e => (string?)e?["title"] == "First version",
            "the translation is served", TimeSpan.FromSeconds(5));
        Assert.Equal(englishId, (string?)english!["id"]);
        Assert.Equal(polishId, (string?)english["translations"]!["pl"]);

        // A second version, then the first one restored as the draft.
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFormAsync(page, "Publish", new Dictionary<string, string>
        {
            ["type"] = "News", ["TitlePart.Title"] = "Wersja druga", ["LocalizationPart.Culture"] = "pl",
        })).StatusCode);
        await using var scope = _app.Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<ContentManager>();
        var versions = await manager.ListVersionsAsync(polishId, default);
        var first = versions[^1];
        Assert.Equal("Wersja pierwsza", first.DisplayText);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFormAsync(page, "Restore", new Dictionary<string, string> { ["versionId"] = first.ContentItemVersionId })).StatusCode);
        var restored = (await manager.GetLatestAsync(polishId, default))!;
        Assert.Equal("Wersja pierwsza", restored.DisplayText);
        Assert.Equal((string?)english["localizationSet"], restored.LocalizationSet); // still linked to its translation
        Assert.Equal("Wersja druga", (await manager.GetPublishedAsync(polishId, default))!.DisplayText);
    }

    [Fact]
    public async Task UnpublishAt_SavedWithADraft_TakesThePublishedItemDown_ForEveryTypeThatHasIt()
    {
        var browser = await SignInAsync();
        foreach (var type in new[] { "News", "Event", "Page", "Faq" })
        {
            var editor = await browser.GetStringAsync($"/admin/content/edit/new?type={type}");
            Assert.Contains("name=\"ArchiveLaterPart.ScheduledArchiveUtc\"", editor, StringComparison.Ordinal);
            Assert.Contains("name=\"PublishLaterPart.ScheduledPublishUtc\"", editor, StringComparison.Ordinal);
        }
        var created = await browser.PostFormAsync("/admin/content/edit/new?type=News", "Publish", new Dictionary<string, string>
        {
            ["type"] = "News", ["TitlePart.Title"] = "Tylko do piątku", ["LocalizationPart.Culture"] = "pl",
        });
        var id = created.Headers.Location!.OriginalString.Split('/')[^1];
        var warsaw = TimeZoneInfo.FindSystemTimeZoneById("Europe/Warsaw");
        var saved = await browser.PostFormAsync($"/admin/content/edit/{id}", "Save", new Dictionary<string, string>
        {
            ["type"] = "News", ["TitlePart.Title"] = "Tylko do piątku", ["LocalizationPart.Culture"] = "pl",
            ["ArchiveLaterPart.ScheduledArchiveUtc"] = TimeZoneInfo.ConvertTime(_app.Clock.GetUtcNow().AddMinutes(5), warsaw)
                .ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture),
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode); // a draft only: Publish was not clicked
        await using var scope = _app.Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<ContentManager>();
        Assert.NotNull(await manager.GetPublishedAsync(id, default));
        Assert.Equal(0, await manager.RunSchedulesAsync(default));
        _app.Clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(1, await manager.RunSchedulesAsync(default));
        Assert.Null(await manager.GetPublishedAsync(id, default));
        Assert.Equal(0, await manager.RunSchedulesAsync(default)); // done once, not again
    }

    [Fact]
    public async Task AnAlertScheduledInTheForm_IsPublishedByTheScheduler()
    {
        var browser = await SignInAsync();
        Assert.Contains("name=\"PublishLaterPart.ScheduledPublishUtc\"", await browser.GetStringAsync("/admin/content/edit/new?type=Alert"), StringComparison.Ordinal);
        var saved = await browser.PostFormAsync("/admin/content/edit/new?type=Alert", "Save", new Dictionary<string, string>
        {
            ["type"] = "Alert", ["TitlePart.Title"] = "Planned closure", ["Alert.Severity"] = "info", ["LocalizationPart.Culture"] = "en",
            // The editor's own time, in the site's zone (Europe/Warsaw).
            ["PublishLaterPart.ScheduledPublishUtc"] = TimeZoneInfo.ConvertTime(_app.Clock.GetUtcNow().AddMinutes(5), TimeZoneInfo.FindSystemTimeZoneById("Europe/Warsaw"))
                .ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture),
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var id = saved.Headers.Location!.OriginalString.Split('/')[^1];
        await using var scope = _app.Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<ContentManager>();
        Assert.Null(await manager.GetPublishedAsync(id, default));
        var dashboard = WebUtility.HtmlDecode(await browser.GetStringAsync("/admin"));
        Assert.Contains("Scheduled", dashboard, StringComparison.Ordinal);
        Assert.Contains("Planned closure", dashboard, StringComparison.Ordinal);
        Assert.Contains(TestContent.AlertEnglish.Title, dashboard, StringComparison.Ordinal); // the test content's alert is active
        Assert.Equal(0, await manager.RunSchedulesAsync(default)); // what the scheduler runs every Embassy:Scheduler:Interval
        _app.Clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(1, await manager.RunSchedulesAsync(default));
        Assert.Equal("Planned closure", (await manager.GetPublishedAsync(id, default))!.DisplayText);
    }

    [Fact]
    public async Task FiveWrongPasswords_LockTheAccount()
    {
        var browser = Browser();
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(browser, "admin", "Wrong-Password-9")).StatusCode);
        }
        Assert.Equal((HttpStatusCode)423, (await LoginAsync(browser, "admin", "Wrong-Password-9")).StatusCode); // the fifth locks
        var locked = await LoginAsync(browser, "admin", EmbassyAppFactory.AdminPassword);
        Assert.Equal((HttpStatusCode)423, locked.StatusCode);
        Assert.Contains("locked", await locked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheStandby_MapsNoAdminPage()
    {
        _ = _app.CreateClient();
        await using var standby = new EmbassyAppFactory(_app.DataDirectory, settings: EmbassyAppFactory.StandbyOf(new Uri("http://127.0.0.1:9/")));
        var client = standby.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        foreach (var url in new[] { "/admin", "/admin/login", "/admin/content/News", "/admin/content/edit/new?type=News" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(url)).StatusCode);
        }
    }
}
