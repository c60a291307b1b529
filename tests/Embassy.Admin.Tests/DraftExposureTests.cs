using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Embassy.Content.Services;
using Embassy.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.Admin.Tests;

/// <summary>
/// Issue #38, group 1: a draft reaches only those who may see it. The app's search never finds a draft's words, whatever
/// Lucene syntax is typed and whatever preview token is sent; a link to one item shows no other item's draft, in any
/// culture; a link dies with the account or the rights that made it; an Author's translation panel and content picker
/// show no colleague's draft.
/// </summary>
public sealed class DraftExposureTests : IAsyncLifetime
{
    private const string Secret = "zanzibarquux";
    private EmbassyAppFactory _app = null!;

    public async Task InitializeAsync() => _app = await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite, new Dictionary<string, string?>
    {
        ["Embassy:Search:PollInterval"] = "00:00:00.050",
        ["MobileApi:HeadPollInterval"] = "00:00:00.050",
    });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<T> ContentAsync<T>(Func<ContentManager, Task<T>> use)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<ContentManager>());
    }

    private static JsonObject Faq(string title, string culture, string set, string answer = "") => new()
    {
        ["TitlePart"] = new JsonObject { ["Title"] = title },
        ["Faq"] = new JsonObject { ["Answer"] = new JsonObject { ["Markdown"] = answer } },
        ["LocalizationPart"] = new JsonObject { ["Culture"] = culture, ["LocalizationSet"] = set },
    };

    /// <summary>A published item whose pending draft holds <see cref="Secret"/> in its title and answer.</summary>
    private async Task<string> PublishedWithSecretDraftAsync(string title, string culture, string set, string owner = "someone-else")
    {
        var id = await ContentAsync(async c => (await c.CreateAsync(new NewContentItem("Faq", Faq(title, culture, set, "Lighthouse keepers answer here.")) { Publish = true, Owner = owner }, default)).ContentItemId);
        await ContentAsync(c => c.UpdateDraftAsync(id, Faq($"{title} {Secret}", culture, set, $"The {Secret} lighthouse answer."), "editor", default));
        return id;
    }

    [Fact]
    public async Task TheAppsSearch_NeverFindsADraftsWords_WhateverSyntaxOrPreviewTokenItIsSent()
    {
        var admin = await CmiBrowser.SignInAsync(_app);
        var id = await PublishedWithSecretDraftAsync("Lighthouse opening hours", "en", Guid.NewGuid().ToString("N"));
        var draftOnly = await ContentAsync(async c => (await c.CreateAsync(new NewContentItem("Faq", Faq($"Never published {Secret}", "en", Guid.NewGuid().ToString("N")))
            { Owner = "someone-else" }, default)).ContentItemId);
        var api = _app.CreateClient();
        await Eventually.TrueAsync(async () => await api.GetAsync("/api/v1/search?q=lighthouse&culture=en") is { IsSuccessStatusCode: true } found
                && (await found.Content.ReadAsStringAsync()).Contains(id, StringComparison.Ordinal),
            "the published item indexed", TimeSpan.FromSeconds(45));
        // The CMI's search (latest versions) has the draft's words by now: what the app must not reach.
        await Eventually.TrueAsync(async () => WebUtility.HtmlDecode(await admin.GetStringAsync($"/admin/content/Faq?q={Secret}")).Contains("Never published", StringComparison.Ordinal),
            "the drafts indexed for the CMI", TimeSpan.FromSeconds(45));

        var everyDraft = TokenOf(await MakeLinkAsync(admin, null));
        var oneItem = TokenOf(await MakeLinkAsync(admin, id));
        string[] probes =
        [
            Secret, $"+{Secret}", $"\"{Secret}\"", $"{Secret}*", $"{Secret}~", $"zanzibar*", $"{Secret} OR lighthouse", $"lighthouse AND {Secret}",
            $"all.f:{Secret}", $"all.en:{Secret}", "kind:l", "kind:l AND lighthouse", $"key:l*", $"[{Secret} TO zzzz]", $"{{a TO {Secret}}}",
            $"title:{Secret}", $"text:{Secret}", $"(lighthouse) OR ({Secret})", $"lighthouse -kind:p", $"{Secret}^10", $"/{Secret}/", $"*:*",
        ];
        foreach (var q in probes)
        {
            foreach (var token in new string?[] { null, everyDraft, oneItem })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/search?q={Uri.EscapeDataString(q)}&culture=en");
                if (token is not null)
                {
                    request.Headers.Add("X-Preview-Token", token);
                }
                var response = await api.SendAsync(request);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var items = (await response.Content.ReadFromJsonAsync<JsonObject>())!["items"]!.AsArray();
                Assert.DoesNotContain(items, i => (string?)i!["id"] == draftOnly);
                foreach (var item in items)
                {
                    // Found by a published word, it shows only the published version's title and snippet.
                    Assert.DoesNotContain(Secret, item!.ToJsonString(), StringComparison.OrdinalIgnoreCase);
                }
                Assert.True(response.Headers.CacheControl?.Public ?? false, $"the search for '{q}' is the public one, token or not");
            }
        }
    }

    [Fact]
    public async Task ALinkToOneItem_ShowsNoOtherItemsDraft_InAnyCulture()
    {
        var admin = await CmiBrowser.SignInAsync(_app);
        var set = Guid.NewGuid().ToString("N");
        var english = await ContentAsync(async c => (await c.CreateAsync(new NewContentItem("Faq", Faq("Visa interview", "en", set)) { Publish = true, Owner = "someone-else" }, default)).ContentItemId);
        var polish = await PublishedWithSecretDraftAsync("Rozmowa wizowa", "pl", set);
        var token = TokenOf(await MakeLinkAsync(admin, english));
        var api = _app.CreateClient();

        async Task<JsonObject> PreviewAsync(string url)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { { "X-Preview-Token", token } } };
            var response = await api.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        }

        // Asked in Polish first, the item answers with its Polish translation: the published one, not the draft.
        var shown = await PreviewAsync($"/api/v1/items/{english}?culture=pl");
        Assert.Equal(polish, (string?)shown["id"]);
        Assert.Equal("Rozmowa wizowa", (string?)shown["title"]);
        Assert.DoesNotContain(Secret, shown.ToJsonString(), StringComparison.Ordinal);
        // The Polish item itself is not covered by the link.
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/items/{polish}") { Headers = { { "X-Preview-Token", token } } })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await api.SendAsync(request)).StatusCode);
        }
        // A list in Polish with the link: the published Polish version only.
        var list = await PreviewAsync("/api/v1/content/Faq?culture=pl");
        Assert.DoesNotContain(Secret, list.ToJsonString(), StringComparison.Ordinal);
        // A link to every draft shows the Polish draft (what it is for).
        var all = TokenOf(await MakeLinkAsync(admin, null));
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/items/{english}?culture=pl") { Headers = { { "X-Preview-Token", all } } })
        {
            Assert.Contains(Secret, await (await api.SendAsync(request)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ALink_DiesWithTheAccountOrTheRightsThatMadeIt()
    {
        var admin = await CmiBrowser.SignInAsync(_app);
        var api = _app.CreateClient();
        var id = await PublishedWithSecretDraftAsync("Office hours", "en", Guid.NewGuid().ToString("N"));
        foreach (var name in new[] { "lock", "demote", "delete" })
        {
            Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/admin/users", "Create", new Dictionary<string, string>
                { ["userName"] = name, ["password"] = "Strong-Password-1", ["role"] = "Editor" })).StatusCode);
        }
        var tokens = new Dictionary<string, string>();
        foreach (var name in new[] { "lock", "demote", "delete" })
        {
            tokens[name] = TokenOf(await MakeLinkAsync(await CmiBrowser.SignInAsync(_app, name, "Strong-Password-1"), null));
        }
        async Task<HttpStatusCode> PreviewAsync(string token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/items/{id}") { Headers = { { "X-Preview-Token", token } } };
            var response = await api.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Assert.Contains(Secret, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
            return response.StatusCode;
        }
        Assert.All(tokens.Values, t => Assert.Equal(HttpStatusCode.OK, PreviewAsync(t).GetAwaiter().GetResult()));

        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            var locked = (await users.FindByNameAsync("lock"))!;
            await users.SetLockoutEnabledAsync(locked, true);
            await users.SetLockoutEndDateAsync(locked, DateTimeOffset.MaxValue);
            var demoted = (await users.FindByNameAsync("demote"))!;
            await users.RemoveFromRoleAsync(demoted, "Editor");
            await users.AddToRoleAsync(demoted, "Author"); // may edit their own items only: not every draft
            Assert.True((await users.DeleteAsync((await users.FindByNameAsync("delete"))!)).Succeeded);
        }
        foreach (var (name, token) in tokens)
        {
            Assert.True(await PreviewAsync(token) == HttpStatusCode.Unauthorized, $"the link made by the account '{name}' still works after that was done to it");
        }
        // The administrator's own link is unaffected.
        Assert.Equal(HttpStatusCode.OK, await PreviewAsync(TokenOf(await MakeLinkAsync(admin, null))));
    }

    [Fact]
    public async Task AnAuthorsTranslationPanelAndPicker_ShowNoColleaguesDraft()
    {
        var admin = await CmiBrowser.SignInAsync(_app);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/admin/users", "Create", new Dictionary<string, string>
            { ["userName"] = "ola", ["password"] = "Strong-Password-1", ["role"] = "Author" })).StatusCode);
        var author = await CmiBrowser.SignInAsync(_app, "ola", "Strong-Password-1");
        string olaId;
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            olaId = (await scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>().FindByNameAsync("ola"))!.Id;
        }
        // Ola's English item; its Polish translation is a colleague's, published with a pending draft; another set's
        // Polish item is a colleague's draft never published.
        var set = Guid.NewGuid().ToString("N");
        var mine = await ContentAsync(async c => (await c.CreateAsync(new NewContentItem("Faq", Faq("My question", "en", set)) { Owner = olaId }, default)).ContentItemId);
        await PublishedWithSecretDraftAsync("Pytanie kolegi", "pl", set);
        var loneSet = Guid.NewGuid().ToString("N");
        var mineAlone = await ContentAsync(async c => (await c.CreateAsync(new NewContentItem("Faq", Faq("My other question", "en", loneSet)) { Owner = olaId }, default)).ContentItemId);
        await ContentAsync(async c => (await c.CreateAsync(new NewContentItem("Faq", Faq($"Szkic kolegi {Secret}", "pl", loneSet, $"Odpowiedź {Secret}")) { Owner = "someone-else" }, default)).ContentItemId);

        var page = WebUtility.HtmlDecode(await author.GetStringAsync($"/admin/content/edit/{mine}"));
        Assert.Contains("Pytanie kolegi", page, StringComparison.Ordinal); // the published Polish version, to compare
        Assert.Contains("The pl version as published, to compare", page, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, page, StringComparison.Ordinal);
        var lone = WebUtility.HtmlDecode(await author.GetStringAsync($"/admin/content/edit/{mineAlone}"));
        Assert.DoesNotContain(Secret, lone, StringComparison.Ordinal);
        Assert.DoesNotContain("Szkic kolegi", lone, StringComparison.Ordinal);
        // The administrator, who may edit both, compares with the latest versions.
        Assert.Contains(Secret, WebUtility.HtmlDecode(await admin.GetStringAsync($"/admin/content/edit/{mine}")), StringComparison.Ordinal);

        // The picker's choices, as the core gives them to an Author: their drafts, everyone's published versions, no colleague's draft.
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var ola = await scope.ServiceProvider.GetRequiredService<Embassy.Core.UserRights>().PrincipalAsync(olaId);
            var queries = scope.ServiceProvider.GetRequiredService<EditorQueries>();
            var offered = await queries.PickableAsync(["Faq"], EditorScopes.For(ola!, ["Faq"]), default);
            Assert.Contains(offered, o => o.Id == mine && o.Title == "My question");
            Assert.Contains(offered, o => o.Title == "Pytanie kolegi");
            Assert.DoesNotContain(offered, o => o.Title.Contains(Secret, StringComparison.Ordinal));
            var everything = await queries.PickableAsync(["Faq"], null, default);
            Assert.Contains(everything, o => o.Title.Contains(Secret, StringComparison.Ordinal)); // the system (and an Editor) sees drafts
        }
    }

    private static Task<string> MakeLinkAsync(HttpClient browser, string? id) => PreviewTests.MakeLinkAsync(browser, id);

    private static string TokenOf(string link) => PreviewTests.TokenOf(link) is { Length: > 0 } token ? token : throw new InvalidOperationException("no preview link made");
}
