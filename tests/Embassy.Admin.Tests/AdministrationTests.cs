using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Embassy.Content.Services;
using Embassy.Core;
using Embassy.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.Admin.Tests;

/// <summary>Users, roles with per-type permissions, the audit log, site settings, and the list's bulk actions, sorting and filters.</summary>
public sealed partial class AdministrationTests : IAsyncLifetime
{
    private EmbassyAppFactory _app = null!;

    public async Task InitializeAsync() =>
        _app = await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite, new Dictionary<string, string?> { ["MobileApi:HeadPollInterval"] = "00:00:00.050" });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private Task<HttpClient> AdminAsync() => CmiBrowser.SignInAsync(_app);

    private static Dictionary<string, string> Form(params (string Key, string Value)[] fields) => fields.ToDictionary(f => f.Key, f => f.Value);

    private async Task<List<AuditEntry>> AuditAsync(string? user = null)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<AuditLog>().ListAsync(user, null, 1, 1000, default)).Entries.ToList();
    }

    private static async Task<string> CreateUserAsync(HttpClient admin, string name, string role)
    {
        var created = await admin.PostFormAsync("/admin/users", "Create", Form(("userName", name), ("password", "Strong-Password-1"), ("role", role)));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        return name;
    }

    [Fact]
    public async Task ThePasswordRules_SpeakTheEditorsLanguage_AndTheLanguageChoiceStaysOnTheCmi()
    {
        var admin = await AdminAsync();
        admin.DefaultRequestHeaders.AcceptLanguage.ParseAdd("pl-PL, pl;q=0.9, en;q=0.5");
        var weak = await admin.PostFormAsync("/admin/users", "Create", Form(("userName", "ewa"), ("password", "short"), ("role", "Editor")));
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.Contains("Hasło musi mieć co najmniej 12 znaków.", WebUtility.HtmlDecode(await weak.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Contains(">Wyloguj<", await admin.GetStringAsync("/admin"), StringComparison.Ordinal);

        // The editor's choice (a cookie) wins over the browser; it sends back only to a CMI page.
        var english = await admin.GetAsync("/admin/language/en?returnUrl=/admin/content/News");
        Assert.Equal(HttpStatusCode.Redirect, english.StatusCode);
        Assert.Equal("/admin/content/News", english.Headers.Location!.OriginalString);
        Assert.Contains(">Sign out<", await admin.GetStringAsync("/admin"), StringComparison.Ordinal);
        foreach (var hostile in new[] { "https://evil.example/", "//evil.example/", "/\\evil.example", "/api/v1/types" })
        {
            var redirect = await admin.GetAsync($"/admin/language/pl?returnUrl={Uri.EscapeDataString(hostile)}");
            Assert.Equal("/admin", redirect.Headers.Location!.OriginalString);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/admin/language/xx")).StatusCode);
        Assert.Contains(">Wyloguj<", await admin.GetStringAsync("/admin"), StringComparison.Ordinal); // chosen: Polish
    }

    /// <summary>
    /// Every CMI page in Polish: a text an editor reads (text, title, placeholder, aria-label, alt) that comes out the same
    /// in English and in Polish and reads as English (it has one of English's commonest words) was left untranslated.
    /// Data (titles, names, paths) is the same in both but is not a sentence in English.
    /// </summary>
    [Fact]
    public async Task EveryCmiPage_SpeaksPolish_WhenTheEditorDoes()
    {
        var admin = await AdminAsync();
        string[] pages =
        [
            "/admin", "/admin/content/News", "/admin/content/Alert", $"/admin/content/edit/{TestContent.AlertEnglish.Id}", "/admin/content/edit/new?type=News",
            "/admin/content/edit/new?type=Office", "/admin/media", "/admin/media/profiles", "/admin/users", "/admin/roles", "/admin/audit", "/admin/settings",
            "/admin/recipes", "/admin/webhooks", "/admin/account/two-factor", "/admin/status/404",
        ];
        // Data an editor wrote is in its own language: the model recipe's media profile hints.
        var data = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Paths.EmbassyRecipe), documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true })!["steps"]!.AsArray()
            .Where(s => (string?)s!["name"] == "MediaProfiles").SelectMany(s => s!["MediaProfiles"]!.AsObject().Select(p => (string?)p.Value!["Hint"]))
            .OfType<string>().ToHashSet(StringComparer.Ordinal);
        var untranslated = new List<string>();
        foreach (var page in pages)
        {
            await admin.GetAsync("/admin/language/en");
            var english = ReadableTexts(await admin.GetStringAsync(page));
            await admin.GetAsync("/admin/language/pl");
            var polish = ReadableTexts(await admin.GetStringAsync(page));
            Assert.NotEqual(english, polish);
            untranslated.AddRange(polish.Intersect(english).Where(t => EnglishWord().IsMatch(t) && !data.Contains(t)).Select(t => $"{page}: {t}"));
        }
        Assert.True(untranslated.Count == 0, "English left in the Polish CMI:\n" + string.Join("\n", untranslated));
    }

    private static HashSet<string> ReadableTexts(string html)
    {
        // Not what is edited or shown as data: a field's text (textarea) and the API's JSON (pre).
        html = Regex.Replace(html, "<(script|style|textarea|pre)[^>]*>.*?</\\1>", "", RegexOptions.Singleline | RegexOptions.IgnoreCase);
        var texts = Regex.Split(html, "<[^>]*>").Select(t => WebUtility.HtmlDecode(t).Trim()).Where(t => t.Length > 0).ToHashSet(StringComparer.Ordinal);
        foreach (Match attribute in Regex.Matches(html, "\\b(?:title|placeholder|aria-label|alt)=\"([^\"]*)\""))
        {
            texts.Add(WebUtility.HtmlDecode(attribute.Groups[1].Value).Trim());
        }
        return texts;
    }

    [GeneratedRegex("\\b(?:the|and|or|of|to|is|are|in|for|with|your|you|no|not|this|from|by|an|at|as|be|has|have|yet|none|new|save|delete|edit)\\b", RegexOptions.IgnoreCase)]
    private static partial Regex EnglishWord();

    [Fact]
    public async Task AnAdministrator_CreatesAUser_LocksAndUnlocksThem_AndEveryStepIsAudited()
    {
        var admin = await AdminAsync();
        var weak = await admin.PostFormAsync("/admin/users", "Create", Form(("userName", "ewa"), ("password", "short"), ("role", "Editor")));
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        var refusedForm = WebUtility.HtmlDecode(await weak.Content.ReadAsStringAsync());
        Assert.Contains("Passwords must be at least 12 characters", refusedForm, StringComparison.Ordinal);
        Assert.Contains("id=\"userName\" name=\"userName\" autocomplete=\"off\" value=\"ewa\"", refusedForm, StringComparison.Ordinal); // kept, not emptied
        Assert.DoesNotContain("value=\"short\"", refusedForm, StringComparison.Ordinal); // never the password

        await CreateUserAsync(admin, "ewa", "Editor");
        var page = WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/users"));
        Assert.Contains("<strong>ewa</strong>", page, StringComparison.Ordinal);
        var id = await UserIdAsync("ewa");
        await CmiBrowser.SignInAsync(_app, "ewa", "Strong-Password-1");

        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/admin/users", "Lock", Form(("id", id), ("locked", "true")))).StatusCode);
        var locked = await CmiBrowser.Open(_app).LoginAsync("ewa", "Strong-Password-1");
        Assert.NotEqual(HttpStatusCode.Redirect, locked.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/admin/users", "Lock", Form(("id", id), ("locked", "false")))).StatusCode);
        await CmiBrowser.SignInAsync(_app, "ewa", "Strong-Password-1");

        var audit = await AuditAsync("admin");
        Assert.Contains(audit, e => e.Action == "user.create" && e.Subject == "ewa" && e.Detail == "role Editor");
        Assert.Contains(audit, e => e.Action == "user.lock" && e.Subject == "ewa");
        Assert.Contains(audit, e => e.Action == "user.unlock" && e.Subject == "ewa");
        Assert.Contains("user.lock", await admin.GetStringAsync("/admin/audit?user=admin"), StringComparison.Ordinal);

        // An editor manages content, not users.
        var editor = await CmiBrowser.SignInAsync(_app, "ewa", "Strong-Password-1");
        var denied = await editor.GetAsync("/admin/users");
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.StartsWith("/admin/denied", denied.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAdministrator_CannotLockOrDemoteThemselves()
    {
        var admin = await AdminAsync();
        var adminId = await UserIdAsync("admin");
        var response = await admin.PostFormAsync("/admin/users", "Lock", Form(("id", adminId), ("locked", "true")));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("You cannot lock yourself out.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var demote = await admin.PostFormAsync("/admin/users", "Roles", Form(("id", adminId), ("roleNames", "Editor")));
        Assert.Equal(HttpStatusCode.BadRequest, demote.StatusCode);
        await CmiBrowser.SignInAsync(_app); // still an administrator
    }

    [Fact]
    public async Task ARoleWithPermissionsForOneType_EditsAndPublishesThatTypeOnly()
    {
        var admin = await AdminAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/admin/roles", "Create", Form(("name", "AlertsDesk")))).StatusCode);
        var unknown = await admin.PostFormAsync("/admin/roles", "Save", [new("role", "AlertsDesk"), new("permissions", "Publish_Nothing")]);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("Unknown permissions: Publish_Nothing", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var saved = await admin.PostFormAsync("/admin/roles", "Save",
            [new("role", "AlertsDesk"), new("permissions", "Edit_Alert"), new("permissions", "Publish_Alert")]);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Contains("checked=\"checked\" aria-label=\"Publish_Alert\"", await admin.GetStringAsync("/admin/roles"), StringComparison.Ordinal);
        await CreateUserAsync(admin, "desk", "AlertsDesk");

        var desk = await CmiBrowser.SignInAsync(_app, "desk", "Strong-Password-1");
        var nav = await desk.GetStringAsync("/admin");
        Assert.Contains("href=\"/admin/content/Alert\"", nav, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/admin/content/News\"", nav, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await desk.GetAsync("/admin/content/News")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await desk.GetAsync("/admin/content/edit/new?type=News")).StatusCode);

        var alert = Form(("type", "Alert"), ("TitlePart.Title", "Utrudnienia w ruchu"), ("LocalizationPart.Culture", "pl"));
        var missing = await desk.PostFormAsync("/admin/content/edit/new?type=Alert", "Publish", alert);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("data-for=\"Alert.Severity\">Severity is required.</div>", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        alert["Alert.Severity"] = "warning";
        var published = await desk.PostFormAsync("/admin/content/edit/new?type=Alert", "Publish", alert);
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);
        var id = published.Headers.Location!.OriginalString.Split('/')[^1];
        Assert.Contains(await AuditAsync("desk"), e => e.Action == "content.publish" && e.Subject == id && e.Detail!.Contains("Utrudnienia w ruchu", StringComparison.Ordinal));
        // …but not delete: the role was not given Delete_Alert.
        var delete = await desk.PostFormAsync($"/admin/content/edit/{id}", "Delete", Form(("confirmDelete", "true")));
        Assert.Equal(HttpStatusCode.Redirect, delete.StatusCode);
        Assert.StartsWith("/admin/denied", delete.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailedSave_LeavesNoAuditEntry_AndTheHistoryShowsWhatChanged()
    {
        var admin = await AdminAsync();
        var before = (await AuditAsync()).Count;
        var bad = await admin.PostFormAsync("/admin/content/edit/new?type=ConsularService", "Save", Form(("type", "ConsularService"), ("TitlePart.Title", "Wizy"), ("ConsularService.FeeUsd", "dużo")));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(before, (await AuditAsync()).Count);

        var created = await admin.PostFormAsync("/admin/content/edit/new?type=News", "Publish", Form(("type", "News"), ("TitlePart.Title", "Pierwszy tytuł"), ("News.Summary", "Stare streszczenie"), ("LocalizationPart.Culture", "pl")));
        var id = created.Headers.Location!.OriginalString.Split('/')[^1];
        var changed = await admin.PostFormAsync($"/admin/content/edit/{id}", "Save", Form(("type", "News"), ("TitlePart.Title", "Drugi tytuł"), ("News.Summary", "Nowe streszczenie"), ("LocalizationPart.Culture", "pl")));
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        await using var scope = _app.Services.CreateAsyncScope();
        var versions = await scope.ServiceProvider.GetRequiredService<ContentManager>().ListVersionsAsync(id, default);
        var first = versions.Single(v => !v.Latest);
        var diff = WebUtility.HtmlDecode(await admin.GetStringAsync($"/admin/content/edit/{id}?compare={first.ContentItemVersionId}"));
        Assert.Contains("<tr><td>Title</td><td><del>Pierwszy tytuł</del></td><td><ins>Drugi tytuł</ins></td></tr>", diff, StringComparison.Ordinal);
        Assert.Contains("<tr><td>Summary</td><td><del>Stare streszczenie</del></td><td><ins>Nowe streszczenie</ins></td></tr>", diff, StringComparison.Ordinal);
        Assert.Equal(["content.create", "content.publish", "content.update"], (await AuditAsync()).Where(e => e.Subject == id).Select(e => e.Action).Reverse().ToArray());
    }

    [Fact]
    public async Task BulkActions_PublishAndDeleteTheTickedItems_WithDeletionConfirmed()
    {
        var admin = await AdminAsync();
        var ids = new List<string>();
        foreach (var title in new[] { "Bulk A", "Bulk B", "Bulk C" })
        {
            var created = await admin.PostFormAsync("/admin/content/edit/new?type=Faq", "Save", Form(("type", "Faq"), ("TitlePart.Title", title), ("LocalizationPart.Culture", "en")));
            ids.Add(created.Headers.Location!.OriginalString.Split('/')[^1]);
        }
        var publish = await admin.PostFormAsync("/admin/content/Faq", "Bulk", ids.Take(2).Select(id => new KeyValuePair<string, string>("ids", id)).Append(new("action", "publish")));
        Assert.Equal(HttpStatusCode.Redirect, publish.StatusCode);
        Assert.Contains("Published: 2 of 2.", WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/content/Faq")), StringComparison.Ordinal);
        var list = await admin.GetStringAsync("/admin/content/Faq?status=published&q=Bulk");
        Assert.Contains("Bulk A", list, StringComparison.Ordinal);
        Assert.Contains("Bulk B", list, StringComparison.Ordinal);
        Assert.DoesNotContain("Bulk C", list, StringComparison.Ordinal);

        var unconfirmed = await admin.PostFormAsync("/admin/content/Faq", "Bulk", ids.Select(id => new KeyValuePair<string, string>("ids", id)).Append(new("action", "delete")));
        Assert.Equal(HttpStatusCode.Redirect, unconfirmed.StatusCode);
        Assert.Contains("Bulk C", await admin.GetStringAsync("/admin/content/Faq?q=Bulk"), StringComparison.Ordinal);
        await admin.PostFormAsync("/admin/content/Faq", "Bulk", ids.Select(id => new KeyValuePair<string, string>("ids", id)).Append(new("action", "delete")).Append(new("confirmDelete", "true")));
        Assert.Contains("0 items", await admin.GetStringAsync("/admin/content/Faq?q=Bulk"), StringComparison.Ordinal);
        Assert.Equal(3, (await AuditAsync()).Count(e => e.Action == "content.delete" && ids.Contains(e.Subject!)));

        // Sorted by title, A to Z and back.
        var ascending = await admin.GetStringAsync("/admin/content/News?sort=title");
        var titles = ListTitlePattern().Matches(ascending).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        Assert.True(titles.Count > 2);
        Assert.Equal(titles.Order(StringComparer.Ordinal).ToList(), titles);
        var descending = ListTitlePattern().Matches(await admin.GetStringAsync("/admin/content/News?sort=-title")).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        Assert.Equal(titles.AsEnumerable().Reverse().ToList(), descending);
    }

    [Fact]
    public async Task AnAuthor_SeesOnlyTheirOwnItems_AndCannotBulkPublish()
    {
        var admin = await AdminAsync();
        await CreateUserAsync(admin, "autor", "Author");
        var author = await CmiBrowser.SignInAsync(_app, "autor", "Strong-Password-1");
        var draft = await author.PostFormAsync("/admin/content/edit/new?type=News", "Save", Form(("type", "News"), ("TitlePart.Title", "Szkic autora"), ("LocalizationPart.Culture", "pl")));
        var id = draft.Headers.Location!.OriginalString.Split('/')[^1];
        var list = await author.GetStringAsync("/admin/content/News");
        Assert.Contains("Szkic autora", list, StringComparison.Ordinal);
        Assert.Contains("1 item<", list, StringComparison.Ordinal); // the test content's news belong to the administrator
        var bulk = await author.PostFormAsync("/admin/content/News", "Bulk", [new("ids", id), new("action", "publish")]);
        Assert.Equal(HttpStatusCode.Redirect, bulk.StatusCode);
        Assert.StartsWith("/admin/denied", bulk.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        // Another's item is "not found" for an Author, as a page a person can read (not the API's JSON).
        var starter = System.Text.RegularExpressions.Regex.Match(await admin.GetStringAsync("/admin/content/News?author=admin"), "/admin/content/edit/([a-z0-9]{26})").Groups[1].Value;
        var notYours = await author.GetAsync($"/admin/content/edit/{starter}");
        Assert.Equal(HttpStatusCode.NotFound, notYours.StatusCode);
        Assert.Equal("text/html", notYours.Content.Headers.ContentType?.MediaType);
        Assert.Contains("not one you may open", await notYours.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // The author filter finds their item for an editor.
        Assert.Contains("Szkic autora", await admin.GetStringAsync("/admin/content/News?author=autor"), StringComparison.Ordinal);
        Assert.DoesNotContain("Szkic autora", await admin.GetStringAsync("/admin/content/News?author=admin"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SiteSettings_ChangeTheAppsDefaultCultureAndFallback_AndRefuseBadValues()
    {
        var admin = await AdminAsync();
        var bad = await admin.PostFormAsync("/admin/settings", "", Form(("siteName", "Ambasada"), ("timeZoneId", "Mars/Olympus"), ("defaultCulture", "en"), ("fallback.pl", "de"), ("fallback.en", "")));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var page = WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync());
        Assert.Contains("'Mars/Olympus' is not a time zone", page, StringComparison.Ordinal);
        Assert.Contains("Fallbacks of pl may name only other cultures of the site (en), not de.", page, StringComparison.Ordinal);
        var api = _app.CreateClient();
        Assert.Equal("pl", (string?)(await api.GetFromJsonAsync<JsonObject>("/api/v1/cultures"))!["default"]);

        var saved = await admin.PostFormAsync("/admin/settings", "", Form(("siteName", "Ambasada USA"), ("timeZoneId", "Europe/Warsaw"), ("defaultCulture", "en"), ("fallback.pl", ""), ("fallback.en", "pl")));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var cultures = await Eventually.ValueAsync(async () => (await api.GetFromJsonAsync<JsonObject>("/api/v1/cultures"))!, c => (string?)c["default"] == "en",
            "the API serves the new default culture", TimeSpan.FromSeconds(5));
        Assert.Empty(cultures["cultures"]!.AsArray().Single(c => (string?)c!["code"] == "pl")!["fallback"]!.AsArray());
        Assert.Contains(await AuditAsync("admin"), e => e.Action == "settings.update" && e.Detail!.Contains("Localization", StringComparison.Ordinal));
        Assert.Contains("value=\"Ambasada USA\"", WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/settings")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheMarkdownPreview_RendersSanitizedHtml_ForSignedInEditorsWithTheToken()
    {
        var admin = await AdminAsync();
        var token = await admin.TokenAsync("/admin");
        const string markdown = "# Wizy\n\n*ważne* <script>alert(1)</script> [klik](javascript:alert(1)) <img src=x onerror=alert(1)>";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/api/markdown") { Content = new StringContent(markdown) };
        request.Headers.Add(AdminModule.AntiforgeryHeader, token);
        var response = await admin.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<h1>Wizy</h1>", html, StringComparison.Ordinal);
        Assert.Contains("<em>ważne</em>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.DoesNotContain("javascript:", html, StringComparison.Ordinal);
        Assert.DoesNotContain("onerror", html, StringComparison.Ordinal);
        // The preview is what the app gets: the same conversion its rich text is made from.
        Assert.Equal(Embassy.Content.Services.ContentSafety.MarkdownToHtml(markdown), html);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsync("/admin/api/markdown", new StringContent("# x"))).StatusCode);
        // #31: nesting is bounded: a 1 MB preview of nested quotes is a 400 that names the line, not a 500.
        using var deep = new HttpRequestMessage(HttpMethod.Post, "/admin/api/markdown") { Content = new StringContent(new string('>', 1_000_000)) };
        deep.Headers.Add(AdminModule.AntiforgeryHeader, token);
        var refused = await admin.SendAsync(deep);
        Assert.True(refused.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge, $"{refused.StatusCode}");
        using var deepSmall = new HttpRequestMessage(HttpMethod.Post, "/admin/api/markdown") { Content = new StringContent("# Deep\n" + new string('>', 400_000)) };
        deepSmall.Headers.Add(AdminModule.AntiforgeryHeader, token);
        refused = await admin.SendAsync(deepSmall);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("levels deep on line 2", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await CmiBrowser.Open(_app).PostAsync("/admin/api/markdown", new StringContent("# x"))).StatusCode);
    }

    [Fact]
    public async Task ABagIsEditedAsJson_WithErrorsNamingTheProblem_AndNothingLost()
    {
        var admin = await AdminAsync();
        var form = await admin.GetStringAsync("/admin/content/edit/new?type=Page");
        Assert.Contains("name=\"Sections.ContentItems\"", form, StringComparison.Ordinal);
        var fields = Form(("type", "Page"), ("TitlePart.Title", "Wizy — strona"), ("LocalizationPart.Culture", "pl"), ("Sections.ContentItems", "[{\"ContentType\": \"PageSection\",]"));
        var broken = await admin.PostFormAsync("/admin/content/edit/new?type=Page", "Save", fields);
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        var page = WebUtility.HtmlDecode(await broken.Content.ReadAsStringAsync());
        Assert.Contains("Sections is not valid JSON (line 1", page, StringComparison.Ordinal);
        Assert.Contains("[{\"ContentType\": \"PageSection\",]</textarea>", page, StringComparison.Ordinal); // what was typed is kept
        fields["Sections.ContentItems"] = "[{\"ContentType\": \"News\"}]";
        var wrongType = await admin.PostFormAsync("/admin/content/edit/new?type=Page", "Save", fields);
        Assert.Contains("Sections, item 1: ContentType must be one of PageSection.", WebUtility.HtmlDecode(await wrongType.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        fields["Sections.ContentItems"] = "[{\"ContentType\": \"PageSection\", \"TitlePart\": {\"Title\": \"Dokumenty\"}}]";
        var saved = await admin.PostFormAsync("/admin/content/edit/new?type=Page", "Save", fields);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var id = saved.Headers.Location!.OriginalString.Split('/')[^1];
        await using var scope = _app.Services.CreateAsyncScope();
        var item = await scope.ServiceProvider.GetRequiredService<ContentManager>().GetLatestAsync(id, default);
        var section = item!.Content["Sections"]!["ContentItems"]!.AsArray().Single()!;
        Assert.Equal("Dokumenty", (string?)section["TitlePart"]!["Title"]);
        Assert.Equal(26, ((string?)section["ContentItemId"])!.Length);
    }

    private async Task<string> UserIdAsync(string name)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>().FindByNameAsync(name))!.Id;
    }

    [GeneratedRegex("<td><a href=\"/admin/content/edit/[^\"]+\">([^<]*)</a></td>")]
    private static partial Regex ListTitlePattern();
}
