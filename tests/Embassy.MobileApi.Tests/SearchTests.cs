using System.Net;
using System.Text.Json.Nodes;
using Embassy.Content.Services;
using Embassy.Search;
using Embassy.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.MobileApi.Tests;

/// <summary>
/// /api/v1/search on content written for these tests: Polish inflection (hunspell-pl), English plurals, words typed without
/// diacritics, two-word queries — each query must find its item in the top three; bad input is a 400 or plain words.
/// </summary>
public sealed class SearchTests(SearchTests.Site fixture) : IClassFixture<SearchTests.Site>
{
    private readonly ApiTestSite _site = fixture.Api;
    private readonly Dictionary<string, string> _ids = fixture.Ids;

    /// <summary>One site with the items below, for every test of the class (none of them changes those items).</summary>
    public sealed class Site : IAsyncLifetime
    {
        public ApiTestSite Api { get; private set; } = null!;

        public Dictionary<string, string> Ids { get; } = new(StringComparer.Ordinal);

        public async Task InitializeAsync()
        {
            Api = await ApiTestSite.CreateAsync();
            foreach (var (key, type, culture, title, body) in Items)
            {
                Ids[key] = await Api.ContentAsync(async content => (await content.CreateAsync(new NewContentItem(type, Content(type, culture, title, body)) { Publish = true }, default)).ContentItemId);
            }
            await CaughtUpAsync(Api);
        }

        public Task DisposeAsync() => Api.DisposeAsync().AsTask();
    }

    private static readonly (string Key, string Type, string Culture, string Title, string Body)[] Items =
    [
        ("pl-passport", "ConsularService", "pl", "Paszport: wydanie i odnowienie", "Aby odnowić paszport, umów wizytę w dziale obywatelskim. Wniosek o paszport składa się osobiście."),
        ("pl-visa", "ConsularService", "pl", "Wizy nieimigracyjne", "Wniosek o wizę turystyczną B1/B2 i rozmowa w ambasadzie."),
        ("pl-krakow", "Office", "pl", "Konsulat Generalny w Krakowie", "Ulica Stolarska 9, Kraków."),
        ("pl-soldiers", "Page", "pl", "Pomoc dla żołnierzy i weteranów", "Informacje dla żołnierza armii USA stacjonującego w Polsce i jego rodziny."),
        ("pl-birth", "ConsularService", "pl", "Rejestracja urodzenia dziecka za granicą", "Zgłoszenie urodzenia (CRBA) dla dziecka obywatela USA urodzonego w Polsce."),
        ("pl-citizenship", "Page", "pl", "Zrzeczenie się obywatelstwa amerykańskiego", "Procedura zrzeczenia się obywatelstwa wymaga dwóch wizyt."),
        ("pl-notary", "ConsularService", "pl", "Usługi notarialne", "Notariusz konsularny poświadcza podpisy i kopie dokumentów."),
        ("pl-insurance", "News", "pl", "Ubezpieczenie zdrowotne w podróży", "Przed wyjazdem sprawdź, czy twoje ubezpieczenie obejmuje leczenie za granicą."),
        ("pl-holiday", "Alert", "pl", "Ambasada zamknięta w Święto Niepodległości", "W dniu 11 listopada ambasada i konsulat są nieczynne."),
        ("pl-fulbright", "News", "pl", "Stypendia Fulbrighta dla studentów", "Nabór wniosków o stypendium trwa do końca maja."),
        ("pl-esta", "News", "pl", "Polska w programie ruchu bezwizowego", "Podróż bez wizy z zezwoleniem ESTA, do 90 dni."),
        ("pl-lost", "Faq", "pl", "Zgubiony lub skradziony paszport", "Zgłoś kradzież na policji i złóż wniosek o nowy paszport."),
        ("en-passport", "ConsularService", "en", "Passport renewal for U.S. citizens", "Renew your passport by mail or in person at the embassy."),
        ("en-visa", "ConsularService", "en", "Nonimmigrant visas", "Apply for a tourist visa and schedule an interview."),
        ("en-krakow", "Office", "en", "U.S. Consulate General Krakow", "Stolarska Street 9, Krakow."),
        ("en-soldiers", "Page", "en", "Services for soldiers and veterans", "Information for U.S. Army service members stationed in Poland."),
        ("en-birth", "ConsularService", "en", "Reporting the birth of a child abroad", "A Consular Report of Birth Abroad documents a child's citizenship."),
        ("en-notary", "ConsularService", "en", "Notary services", "A consular officer notarizes signatures and copies."),
        ("en-insurance", "News", "en", "Travel health insurance", "Check that your insurance covers treatment abroad before you travel."),
        ("en-fulbright", "News", "en", "Fulbright scholarships for students", "Applications for the scholarship are open until the end of May."),
        ("en-lost", "Faq", "en", "Lost or stolen passports", "Report the theft to the police and apply for a new passport."),
        ("en-esta", "News", "en", "Visa Waiver Program and ESTA", "Travel without a visa for up to 90 days with an approved ESTA."),
        ("en-holiday", "Alert", "en", "Embassy closed on Independence Day", "The embassy and the consulate are closed on November 11."),
        ("en-vote", "Page", "en", "Voting from abroad", "Request an absentee ballot from your state's election office."),
    ];

    /// <summary>At least 30 queries, each with the item it must find in the top three.</summary>
    public static readonly TheoryData<string, string, string> Queries = new()
    {
        { "paszportu", "pl", "pl-passport" }, { "paszporty", "pl", "pl-passport" }, { "odnowienie paszportu", "pl", "pl-passport" },
        { "wizy", "pl", "pl-visa" }, { "wizę turystyczną", "pl", "pl-visa" }, { "konsulatem", "pl", "pl-krakow" },
        { "zolnierz", "pl", "pl-soldiers" }, { "żołnierzy", "pl", "pl-soldiers" }, { "zolnierzy", "pl", "pl-soldiers" },
        { "urodzenie dziecka", "pl", "pl-birth" }, { "obywatelstwa", "pl", "pl-citizenship" }, { "notariusza", "pl", "pl-notary" },
        { "ubezpieczenia", "pl", "pl-insurance" }, { "swieto niepodleglosci", "pl", "pl-holiday" }, { "stypendium", "pl", "pl-fulbright" },
        { "skradziony paszport", "pl", "pl-lost" }, { "bez wizy", "pl", "pl-esta" }, { "weteranom", "pl", "pl-soldiers" },
        { "passports", "en", "en-passport" }, { "renewing a passport", "en", "en-passport" }, { "visas", "en", "en-visa" },
        { "tourist visa", "en", "en-visa" }, { "consulate", "en", "en-krakow" }, { "soldiers", "en", "en-soldiers" },
        { "veteran", "en", "en-soldiers" }, { "births abroad", "en", "en-birth" }, { "notary", "en", "en-notary" },
        { "insurance", "en", "en-insurance" }, { "scholarship", "en", "en-fulbright" }, { "stolen passport", "en", "en-lost" },
        { "esta", "en", "en-esta" }, { "visa waiver", "en", "en-esta" }, { "closed embassy", "en", "en-holiday" },
        { "vote abroad", "en", "en-vote" }, { "ballots", "en", "en-vote" }, { "KRAKOW", "en", "en-krakow" },
    };

    private static JsonObject Content(string type, string culture, string title, string body)
    {
        var content = new JsonObject
        {
            ["TitlePart"] = new JsonObject { ["Title"] = title },
            ["LocalizationPart"] = new JsonObject { ["Culture"] = culture, ["LocalizationSet"] = Guid.NewGuid().ToString("N") },
        };
        switch (type)
        {
            case "Faq":
                content["Faq"] = new JsonObject { ["Answer"] = new JsonObject { ["Markdown"] = body } };
                break;
            case "Office":
                content["Office"] = new JsonObject { ["Address"] = new JsonObject { ["Text"] = body } };
                break;
            case "Alert":
                content["MarkdownBodyPart"] = new JsonObject { ["Markdown"] = body };
                content["Alert"] = new JsonObject { ["Severity"] = new JsonObject { ["Text"] = "info" } };
                break;
            default:
                content["HtmlBodyPart"] = new JsonObject { ["Html"] = $"<p>{body}</p>" };
                break;
        }
        return content;
    }

    /// <summary>Waits until the index has reached the change feed's head.</summary>
    internal static async Task CaughtUpAsync(ApiTestSite site)
    {
        var index = site.App.Services.GetRequiredService<SearchIndex>();
        await Eventually.TrueAsync(async () =>
        {
            await using var scope = site.App.Services.CreateAsyncScope();
            return index.Sequence >= await scope.ServiceProvider.GetRequiredService<ChangeFeed>().GetHeadAsync(default);
        }, "the search index caught up", TimeSpan.FromSeconds(30));
    }

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task AQuery_FindsItsItemInTheTopThree(string q, string culture, string expected)
    {
        var page = await _site.GetJsonAsync($"/api/v1/search?q={Uri.EscapeDataString(q)}&culture={culture}&limit=3");
        var found = page["items"]!.AsArray().Select(i => (string)i!["id"]!).ToList();
        Assert.True(found.Contains(_ids[expected]), $"'{q}' ({culture}): {expected} not in the top 3: " +
            string.Join(", ", page["items"]!.AsArray().Select(i => $"{i!["title"]} ({i["score"]})")));
    }

    [Fact]
    public void TheRelevanceSet_HasAtLeastThirtyQueries() => Assert.True(Queries.Count >= 30);

    [Fact]
    public async Task AHit_HasItsTitleTypeCultureScore_AndASnippetWithTheWordsFoundMarked()
    {
        var page = await _site.GetJsonAsync("/api/v1/search?q=paszportu&culture=pl");
        var hit = page["items"]!.AsArray().First(i => (string?)i!["id"] == _ids["pl-passport"])!;
        Assert.Equal(("ConsularService", "pl", "Paszport: wydanie i odnowienie"), ((string?)hit["type"], (string?)hit["culture"], (string?)hit["title"]));
        Assert.True((double)hit["score"]! > 0);
        var snippet = (string)hit["snippet"]!;
        var marked = hit["highlights"]!.AsArray().Select(h => snippet.Substring((int)h!["start"]!, (int)h["length"]!)).ToList();
        Assert.Contains("paszport", marked);
        Assert.All(marked, m => Assert.StartsWith("paszport", m, StringComparison.OrdinalIgnoreCase));
        // HTML is stripped: no tag in a snippet.
        Assert.DoesNotContain("<p>", snippet, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadInput_IsA400OrPlainWords_NeverA500()
    {
        foreach (var (url, parameter) in new[] { ("/api/v1/search", "q"), ("/api/v1/search?q=", "q"), ("/api/v1/search?q=%20%20", "q"),
                     ($"/api/v1/search?q={new string('a', 201)}", "q"), ("/api/v1/search?q=visa&cursor=made-up", "cursor"),
                     ("/api/v1/search?q=visa&limit=500", "limit"), ("/api/v1/search?q=visa&types=Nothing", "types") })
        {
            var response = await _site.Client.GetAsync(url);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains($"\"{parameter}\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        foreach (var q in new[] { "title:*", "*foo", "a~", "\"unbalanced", "(visa OR", "[1 TO 5]", "AND", "\\", "+-&&||!(){}[]^\"~*?:\\/", "visa*", "passport~2" })
        {
            var response = await _site.Client.GetAsync($"/api/v1/search?q={Uri.EscapeDataString(q)}&culture=en");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{q}: {(int)response.StatusCode}");
        }
        // "visa*" is the word visa: found, not a prefix query.
        var page = await _site.GetJsonAsync("/api/v1/search?q=visa*&culture=en");
        Assert.Contains(_ids["en-visa"], page["items"]!.AsArray().Select(i => (string)i!["id"]!));
    }

    /// <summary>#31 probes: 10,000-term queries, every query syntax character alone and in runs, field prefixes that would
    /// reach drafts or hidden fields in a query parser — each a 400 or plain words, never a 5xx, never a draft, and
    /// never slow (the slowest under 1 s).</summary>
    [Fact]
    public async Task HostileQueries_AreRefusedOrPlainWords_Quickly()
    {
        // A draft whose words every probe below could match.
        var draft = await _site.ContentAsync(async content => (await content.CreateAsync(new NewContentItem("Page", Content("Page", "en",
            "Visa passport draft", "Visa passport w1 a title draft published culture News.")), default)).ContentItemId);
        var slowest = TimeSpan.Zero;
        async Task<HttpResponseMessage> Timed(string q)
        {
            var timer = System.Diagnostics.Stopwatch.StartNew();
            var response = await _site.Client.GetAsync($"/api/v1/search?q={Uri.EscapeDataString(q)}&culture=en");
            await response.Content.ReadAsByteArrayAsync();
            slowest = timer.Elapsed > slowest ? timer.Elapsed : slowest;
            Assert.True((int)response.StatusCode < 500, $"{q[..Math.Min(q.Length, 60)]}: {(int)response.StatusCode}");
            return response;
        }
        var words = Enumerable.Range(0, 10_000).Select(i => "w" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        foreach (var q in new[] { string.Join(' ', words), string.Join(" OR ", words[..2000]), string.Join("", Enumerable.Repeat("a ", 100)) })
        {
            var response = await Timed(q);
            Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestUriTooLong or HttpStatusCode.OK, $"{(int)response.StatusCode}");
        }
        var syntax = "+-&|!(){}[]^\"~*?:\\/<>=@#$%,;'`";
        var hostile = syntax.Select(c => c.ToString()).Concat(syntax.Select(c => new string(c, 150))).Concat(
        [
            "title:visa", "DisplayText:visa", "status:draft", "published:false", "Published:0", "latest:true", "_id:*", "id:*", "culture:pl",
            "text:*", "type:News", "owner:admin", "*:*", "visa^1000000", "visa~0.0000001", "/.*/", "/[a-z]{1,1000}/", "[* TO *]", "{a TO z}",
            "\"visa passport\"~1000000", string.Join(" AND ", Enumerable.Repeat("(visa OR passport)", 12)), new string('(', 150), "\u0000visa", "visa\0",
        ]);
        foreach (var q in hostile)
        {
            var response = await Timed(q);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var page = await _site.GetJsonAsync($"/api/v1/search?q={Uri.EscapeDataString(q)}&culture=en");
                Assert.DoesNotContain(draft, page["items"]!.AsArray().Select(i => (string?)i!["id"]));
            }
        }
        Assert.True(slowest < TimeSpan.FromSeconds(1), $"the slowest hostile query took {slowest}");
    }

    [Fact]
    public async Task Pages_FollowNext_WithinOneSearch_AndTypesAndCultureFilter()
    {
        var first = await _site.GetJsonAsync("/api/v1/search?q=passport&culture=en&limit=1");
        var next = (string)first["next"]!;
        var second = await _site.GetJsonAsync($"/api/v1/search?q=passport&culture=en&limit=1&cursor={Uri.EscapeDataString(next)}");
        Assert.NotEqual((string?)first["items"]![0]!["id"], (string?)second["items"]![0]!["id"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await _site.Client.GetAsync($"/api/v1/search?q=visa&culture=en&limit=1&cursor={Uri.EscapeDataString(next)}")).StatusCode);
        var faqs = await _site.GetJsonAsync("/api/v1/search?q=passport&culture=en&types=Faq");
        Assert.All(faqs["items"]!.AsArray(), i => Assert.Equal("Faq", (string?)i!["type"]));
        var polish = await _site.GetJsonAsync("/api/v1/search?q=paszport&culture=pl");
        Assert.All(polish["items"]!.AsArray(), i => Assert.NotEqual("en", (string?)i!["culture"]));
    }

    [Fact]
    public async Task AnUnpublishedItem_LeavesTheResults_AnEditIsFound_AndATranslationFallsBack()
    {
        var id = await _site.ContentAsync(async content => (await content.CreateAsync(new NewContentItem("Page", Content("Page", "en", "Giraffe enclosure", "Tall animals."))
            { Publish = true }, default)).ContentItemId);
        await CaughtUpAsync(_site);
        Assert.Contains(id, await IdsAsync("/api/v1/search?q=giraffes&culture=en"));
        // Only in English: a Polish reader finds it too (the lists' fallback), until a Polish translation is published.
        Assert.Contains(id, await IdsAsync("/api/v1/search?q=giraffe&culture=pl"));
        await _site.ContentAsync(async content =>
        {
            await content.UpdateDraftAsync(id, new JsonObject { ["TitlePart"] = new JsonObject { ["Title"] = "Giraffe and hippopotamus enclosure" } }, "editor", default);
            return await content.PublishAsync(id, default);
        });
        await CaughtUpAsync(_site);
        Assert.Contains(id, await IdsAsync("/api/v1/search?q=hippopotamus&culture=en"));
        await _site.ContentAsync(async content => await content.UnpublishAsync(id, default));
        await CaughtUpAsync(_site);
        Assert.DoesNotContain(id, await IdsAsync("/api/v1/search?q=giraffe&culture=en"));
    }

    [Fact]
    public async Task WithoutTheHunspellDictionary_TheServerSearchesUnstemmed_AndSaysSo()
    {
        await using var site = await ApiTestSite.CreateAsync(new Dictionary<string, string?> { ["Embassy:Search:HunspellDirectory"] = "/nonexistent/hunspell" });
        var id = await site.ContentAsync(async content => (await content.CreateAsync(new NewContentItem("Page", Content("Page", "pl", "Wniosek o paszport", "Formularz."))
            { Publish = true }, default)).ContentItemId);
        await CaughtUpAsync(site);
        var health = await site.GetJsonAsync("/health/ready");
        Assert.False((bool)health["search"]!["polishStemming"]!);
        Assert.Contains(id, (await site.GetJsonAsync("/api/v1/search?q=paszport&culture=pl"))["items"]!.AsArray().Select(i => (string)i!["id"]!));
        Assert.DoesNotContain(id, (await site.GetJsonAsync("/api/v1/search?q=paszportu&culture=pl"))["items"]!.AsArray().Select(i => (string)i!["id"]!));
    }

    private async Task<List<string>> IdsAsync(string url) => (await _site.GetJsonAsync(url))["items"]!.AsArray().Select(i => (string)i!["id"]!).ToList();
}
