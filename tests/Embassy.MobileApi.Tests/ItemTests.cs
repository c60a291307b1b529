using Embassy.Testing;
using System.Net;
using System.Text.Json.Nodes;

namespace Embassy.MobileApi.Tests;

public sealed class ItemTests
{
    private static readonly string PolishNewsId = TestContent.NewsBPolish.Id;

    [Fact]
    public async Task AnItem_IsServedById_AliasAndPath_WithItsTranslations()
    {
        await using var site = await ApiTestSite.CreateAsync();
        var polish = await site.GetJsonAsync($"/api/v1/items/{PolishNewsId}");
        Assert.Equal("pl", (string?)polish["culture"]);
        Assert.Equal(TestContent.NewsBPolish.Title, (string?)polish["title"]);
        var english = await site.GetJsonAsync($"/api/v1/items/{PolishNewsId}?culture=en");
        Assert.Equal("en", (string?)english["culture"]);
        Assert.Equal(TestContent.NewsBEnglish.Title, (string?)english["title"]);
        Assert.Equal((string?)polish["localizationSet"], (string?)english["localizationSet"]);
        Assert.Equal(PolishNewsId, (string?)english["translations"]!["pl"]);
        Assert.Equal((string?)english["id"], (string?)english["translations"]!["en"]);

        var byPath = await site.GetJsonAsync($"/api/v1/items/by-path?path={TestContent.NewsBEnglishPath}");
        Assert.Equal((string?)english["id"], (string?)byPath["id"]);
        var office = await site.GetJsonAsync($"/api/v1/items/by-alias/{TestContent.OfficeBEnglishAlias}");
        Assert.Equal(TestContent.OfficeBEnglishTitle, (string?)office["title"]);
        Assert.Equal(TestContent.OfficeBEnglishAddress, (string?)office["fields"]!["address"]);
        Assert.Equal("08:30:00", (string?)office["fields"]!["opensAt"]);
        Assert.Equal(50.0603, (double)office["fields"]!["latitude"]!);
    }

    [Fact]
    public async Task BagItems_AreNestedItems()
    {
        await using var site = await ApiTestSite.CreateAsync();
        var about = await site.GetJsonAsync($"/api/v1/items/by-path?path={TestContent.PageEnglishPath}");
        var sections = about["fields"]!["sections"]!.AsArray();
        Assert.Equal(["Mission", "History"], sections.Select(s => (string)s!["title"]!));
        Assert.Equal("We support U.S.–Polish relations.", (string?)sections[0]!["fields"]!["body"]);
    }

    [Theory]
    [InlineData("/api/v1/items/doesnotexist00000000000000")]
    [InlineData("/api/v1/items/by-alias/nothing-here")]
    [InlineData("/api/v1/items/by-path?path=no/such/page")]
    public async Task Missing_Is404ProblemDetails(string url)
    {
        await using var site = await ApiTestSite.CreateAsync();
        var response = await site.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task MediaFields_AreUrlsRelativeToTheServer()
    {
        await using var site = await ApiTestSite.CreateAsync();
        var created = await site.ContentAsync(c => c.CreateAsync(new Embassy.Content.Services.NewContentItem("News", new JsonObject
        {
            ["TitlePart"] = new JsonObject { ["Title"] = "with image" },
            ["News"] = new JsonObject { ["Image"] = new JsonObject { ["Paths"] = new JsonArray("news/zdjęcie 1.jpg"), ["MediaTexts"] = new JsonArray("alt") } },
        }) { Publish = true }, default));
        var item = await site.GetJsonAsync($"/api/v1/items/{created.ContentItemId}");
        var image = item["fields"]!["image"]![0]!;
        Assert.Equal("/media/news/zdj%C4%99cie%201.jpg", (string?)image["url"]);
        Assert.Equal("alt", (string?)image["text"]);
    }
}
