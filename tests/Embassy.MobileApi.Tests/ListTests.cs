using Embassy.Testing;
using System.Net;
using System.Text.Json.Nodes;
using Embassy.Content.Services;

namespace Embassy.MobileApi.Tests;

public sealed class ListTests
{
    private static JsonObject News(string title, string culture, string? set = null, string? summary = null) => new()
    {
        ["TitlePart"] = new JsonObject { ["Title"] = title },
        ["LocalizationPart"] = new JsonObject { ["Culture"] = culture, ["LocalizationSet"] = set },
        ["News"] = new JsonObject { ["Summary"] = new JsonObject { ["Text"] = summary ?? title } },
    };

    [Fact]
    public async Task Lists_ArePagedByCursor_NewestFirst_WithoutDuplicates_WhilePublishing()
    {
        await using var site = await ApiTestSite.CreateAsync();
        for (var i = 0; i < 23; i++)
        {
            await site.ContentAsync(c => c.CreateAsync(new NewContentItem("News", News($"generated {i:00}", "pl")) { Publish = true }, default));
        }
        var seen = new List<string>();
        string? next = null;
        var pages = 0;
        do
        {
            var page = await site.GetJsonAsync($"/api/v1/content/News?culture=pl&limit=10{(next is null ? "" : "&cursor=" + next)}");
            Assert.Equal("pl", (string?)page["culture"]);
            seen.AddRange(page["items"]!.AsArray().Select(i => (string)i!["title"]!));
            next = (string?)page["next"];
            if (pages++ == 0)
            {
                // Publishing while the app pages through must not shift the pages it has not read yet.
                await site.ContentAsync(c => c.CreateAsync(new NewContentItem("News", News("published meanwhile", "pl")) { Publish = true }, default));
            }
        }
        while (next is not null);
        Assert.Equal(25, seen.Count); // 23 generated + the test content's 2 news in Polish
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.DoesNotContain("published meanwhile", seen);
        Assert.Equal("generated 22", seen[0]);
        Assert.Equal(seen.Where(t => t.StartsWith("generated", StringComparison.Ordinal)).OrderDescending(), seen.Where(t => t.StartsWith("generated", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Events_AreInStartOrder_AndUpcomingLeavesOutPastOnes()
    {
        await using var site = await ApiTestSite.CreateAsync();
        JsonObject Event(string title, string start, string end) => new()
        {
            ["TitlePart"] = new JsonObject { ["Title"] = title },
            ["LocalizationPart"] = new JsonObject { ["Culture"] = "en" },
            ["Event"] = new JsonObject { ["StartDate"] = new JsonObject { ["Value"] = start }, ["EndDate"] = new JsonObject { ["Value"] = end } },
        };
        await site.ContentAsync(c => c.CreateAsync(new NewContentItem("Event", Event("past", "2020-01-01T10:00:00Z", "2020-01-01T12:00:00Z")) { Publish = true }, default));
        await site.ContentAsync(c => c.CreateAsync(new NewContentItem("Event", Event("soon", "2027-01-01T10:00:00Z", "2027-01-01T12:00:00Z")) { Publish = true }, default));
        var all = await site.GetJsonAsync("/api/v1/content/Event?culture=en");
        Assert.Equal("start", (string?)all["order"]);
        Assert.Equal(["past", TestContent.EventEnglish.Title, "soon"], all["items"]!.AsArray().Select(i => (string)i!["title"]!));
        var upcoming = await site.GetJsonAsync("/api/v1/content/Event?culture=en&upcoming=true");
        Assert.Equal([TestContent.EventEnglish.Title, "soon"], upcoming["items"]!.AsArray().Select(i => (string)i!["title"]!));
        Assert.Equal("2027-01-01T10:00:00Z", (string?)upcoming["items"]![1]!["fields"]!["startDate"]);
    }

    [Fact]
    public async Task ActiveAlerts_LeaveOutExpiredOnes()
    {
        await using var site = await ApiTestSite.CreateAsync();
        await site.ContentAsync(c => c.CreateAsync(new NewContentItem("Alert", new JsonObject
        {
            ["TitlePart"] = new JsonObject { ["Title"] = "expired" },
            ["LocalizationPart"] = new JsonObject { ["Culture"] = "en" },
            ["Alert"] = new JsonObject { ["Severity"] = new JsonObject { ["Text"] = "critical" }, ["ExpiresUtc"] = new JsonObject { ["Value"] = "2021-01-01T00:00:00Z" } },
        }) { Publish = true }, default));
        var all = await site.GetJsonAsync("/api/v1/content/Alert?culture=en");
        Assert.Equal(2, all["items"]!.AsArray().Count);
        var active = await site.GetJsonAsync("/api/v1/content/Alert?culture=en&active=true");
        Assert.Equal([TestContent.AlertEnglish.Title], active["items"]!.AsArray().Select(i => (string)i!["title"]!));
    }

    [Fact]
    public async Task ConsularServices_FollowTheirOrderField()
    {
        await using var site = await ApiTestSite.CreateAsync();
        var list = await site.GetJsonAsync("/api/v1/content/ConsularService?culture=en");
        Assert.Equal("order", (string?)list["order"]);
        Assert.Equal(["visas", "passports", "acs"], list["items"]!.AsArray().Select(i => (string)i!["fields"]!["category"]!));
        Assert.Equal(185, (double)list["items"]![0]!["fields"]!["feeUsd"]!);
        Assert.Equal("https://ais.usvisa-info.com/en-pl/niv", (string?)list["items"]![0]!["fields"]!["appointment"]!["url"]);
    }

    [Fact]
    public async Task Culture_ComesFromTheParameter_OrAcceptLanguage_WithFallback()
    {
        await using var site = await ApiTestSite.CreateAsync();
        await site.ContentAsync(c => c.CreateAsync(new NewContentItem("News", News("only in English", "en", "set-only-en")) { Publish = true }, default));

        var polish = await site.GetJsonAsync("/api/v1/content/News");
        Assert.Equal("pl", (string?)polish["culture"]);
        var titles = polish["items"]!.AsArray().Select(i => ((string)i!["title"]!, (string)i["culture"]!)).ToList();
        Assert.Contains(("only in English", "en"), titles); // no Polish translation: the fallback serves English
        Assert.DoesNotContain(titles, t => t.Item1 == TestContent.NewsAEnglish.Title); // it has a Polish translation

        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/content/News");
        request.Headers.AcceptLanguage.ParseAdd("de-DE, en-US;q=0.8, pl;q=0.5");
        var response = await site.Client.SendAsync(request);
        Assert.Equal("en", response.Content.Headers.ContentLanguage.Single());
        Assert.Contains("Accept-Language", response.Headers.Vary);
    }

    [Fact]
    public async Task Fields_SelectWhatIsSent()
    {
        await using var site = await ApiTestSite.CreateAsync();
        var list = await site.GetJsonAsync("/api/v1/content/News?culture=en&fields=title,summary");
        var item = list["items"]![0]!.AsObject();
        Assert.Equal(["id", "type", "title", "fields"], item.Select(p => p.Key));
        Assert.Equal(["summary"], item["fields"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task Types_AndCultures_DescribeTheModel()
    {
        await using var site = await ApiTestSite.CreateAsync();
        var types = await site.GetJsonAsync("/api/v1/types");
        var news = types["types"]!.AsArray().Single(t => (string?)t!["name"] == "News")!;
        Assert.Equal(["summary", "image", "category", "body"], news["fields"]!.AsArray().Select(f => (string)f!["key"]!));
        Assert.Equal("media", (string?)news["fields"]![1]!["kind"]);
        var alert = types["types"]!.AsArray().Single(t => (string?)t!["name"] == "Alert")!;
        Assert.Equal(["info", "warning", "critical"], alert["fields"]![0]!["options"]!.AsArray().Select(o => (string)o!["value"]!));
        var cultures = await site.GetJsonAsync("/api/v1/cultures");
        Assert.Equal("pl", (string?)cultures["default"]);
        Assert.Equal(["pl", "en"], cultures["cultures"]!.AsArray().Select(c => (string)c!["code"]!));
    }

    [Fact]
    public async Task RateLimit_Answers429_WithRetryAfter()
    {
        await using var site = await ApiTestSite.CreateAsync(new Dictionary<string, string?> { ["MobileApi:RateLimitPerSecond"] = "1", ["MobileApi:RateLimitBurst"] = "3" });
        var codes = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 5; i++)
        {
            last = await site.Client.GetAsync("/api/v1/cultures");
            codes.Add(last.StatusCode);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, codes[^1]);
        // The burst of 3, and one more per whole second the five requests took (a loaded machine can take over one).
        Assert.InRange(codes.Count(c => c == HttpStatusCode.OK), 3, 3 + (int)clock.Elapsed.TotalSeconds);
        Assert.True(last!.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal("application/problem+json", last.Content.Headers.ContentType?.MediaType);
    }
}
