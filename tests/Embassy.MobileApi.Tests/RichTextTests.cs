using System.Net;
using System.Text.Json.Nodes;
using Embassy.Content.Services;
using Embassy.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.MobileApi.Tests;

/// <summary>?richText=blocks: HTML and markdown fields as a tree the app renders natively, valid against the JSON Schema
/// the API publishes, with links to the site's items named by id; the default stays the string.</summary>
public sealed class RichTextTests
{
    [Fact]
    public async Task HtmlBecomesBlocks_WithHeadingsListsLinksAndImages_AndInternalLinksNameTheirItem()
    {
        await using var site = await ApiTestSite.CreateAsync();
        var id = await site.ContentAsync(async content => (await content.CreateAsync(new NewContentItem("Page", new JsonObject
        {
            ["TitlePart"] = new JsonObject { ["Title"] = "Visas" },
            ["HtmlBodyPart"] = new JsonObject
            {
                ["Html"] = "<h1>Visas</h1><p>Apply <strong>now</strong>, <em>early</em> at <a href=\"https://pl.usembassy.gov/visas\">the site</a> or read " +
                           $"<a href=\"/api/v1/items/{TestContent.NewsBPolish.Id}\">this</a>.<script>alert(1)</script></p>" +
                           "<ul><li>One</li><li><strong>Two</strong></li></ul><p><img src=\"/media/flag.jpg\" alt=\"The flag\"></p><p onclick=\"x()\">Plain<br>next</p>" +
                           $"<div data-content-item-id=\"{TestContent.AlertEnglish.Id}\" data-other=\"dropped\"></div><div data-content-item-id=\"../../x\"></div>",
            },
            ["LocalizationPart"] = new JsonObject { ["Culture"] = "en" },
        }) { Publish = true }, default)).ContentItemId);

        var html = await site.GetJsonAsync($"/api/v1/items/{id}");
        Assert.Equal(System.Text.Json.JsonValueKind.String, html["fields"]!["body"]!.GetValueKind()); // the default: the stored (sanitized) HTML
        var item = await site.GetJsonAsync($"/api/v1/items/{id}?richText=blocks");
        var expected = JsonNode.Parse($$"""
            [
              { "type": "heading", "level": 2, "children": [ { "type": "text", "text": "Visas" } ] },
              { "type": "paragraph", "children": [
                { "type": "text", "text": "Apply " }, { "type": "text", "text": "now", "bold": true }, { "type": "text", "text": ", " },
                { "type": "text", "text": "early", "italic": true }, { "type": "text", "text": " at " },
                { "type": "link", "href": "https://pl.usembassy.gov/visas", "children": [ { "type": "text", "text": "the site" } ] },
                { "type": "text", "text": " or read " },
                { "type": "link", "href": "/api/v1/items/{{TestContent.NewsBPolish.Id}}", "contentItemId": "{{TestContent.NewsBPolish.Id}}", "children": [ { "type": "text", "text": "this" } ] },
                { "type": "text", "text": "." } ] },
              { "type": "list", "ordered": false, "items": [
                [ { "type": "paragraph", "children": [ { "type": "text", "text": "One" } ] } ],
                [ { "type": "paragraph", "children": [ { "type": "text", "text": "Two", "bold": true } ] } ] ] },
              { "type": "image", "src": "/media/flag.jpg", "alt": "The flag" },
              { "type": "paragraph", "children": [ { "type": "text", "text": "Plain" }, { "type": "break" }, { "type": "text", "text": "next" } ] },
              { "type": "embed", "contentItemId": "{{TestContent.AlertEnglish.Id}}" }
            ]
            """);
        Assert.True(JsonNode.DeepEquals(expected, item["fields"]!["body"]), item["fields"]!["body"]!.ToJsonString());
        Assert.Equal(1, await RichTextCheck.CheckItemAsync(site.Client, id));

        var refused = await site.Client.GetAsync($"/api/v1/items/{id}?richText=tree");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("richText must be html (the default) or blocks", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LinksByAnItemsPublicPath_NameTheItem_AndKeepNamingItWhenItsPathChanges()
    {
        await using var site = await ApiTestSite.CreateAsync();
        var news = await site.ContentAsync(async content => (await content.CreateAsync(new NewContentItem("News", new JsonObject
        {
            ["TitlePart"] = new JsonObject { ["Title"] = "Visa day" },
            ["AutoroutePart"] = new JsonObject { ["Path"] = "news/visa-day" },
            ["LocalizationPart"] = new JsonObject { ["Culture"] = "en" },
        }) { Publish = true }, default)).ContentItemId);
        var page = await site.ContentAsync(async content => (await content.CreateAsync(new NewContentItem("Page", new JsonObject
        {
            ["TitlePart"] = new JsonObject { ["Title"] = "Links" },
            ["HtmlBodyPart"] = new JsonObject
            {
                ["Html"] = "<p><a href=\"/news/visa-day?from=page#top\">a</a> <a href=\"~/news/visa-day/\">b</a> <a href=\"/news/nothing-here\">c</a> " +
                           "<a href=\"/media/news/visa-day\">d</a> <a href=\"//elsewhere.example/news/visa-day\">e</a> " +
                           "<a href=\"https://elsewhere.example/news/visa-day\">f</a></p>",
            },
            ["LocalizationPart"] = new JsonObject { ["Culture"] = "en" },
        }) { Publish = true }, default)).ContentItemId);

        async Task<List<string?>> LinkedIdsAsync() =>
            (await site.GetJsonAsync($"/api/v1/items/{page}?richText=blocks"))["fields"]!["body"]![0]!["children"]!.AsArray()
                .Where(i => (string?)i!["type"] == "link").Select(i => (string?)i!["contentItemId"]).ToList();
        Assert.Equal([news, news, null, null, null, null], await LinkedIdsAsync());
        Assert.Equal(1, await RichTextCheck.CheckItemAsync(site.Client, page));

        // The news moves to another path: the page's links still name it (by id, which outlives paths).
        await site.ContentAsync(async content =>
        {
            await content.UpdateDraftAsync(news, new JsonObject { ["AutoroutePart"] = new JsonObject { ["Path"] = "news/2026/visa-day" } }, "editor", default);
            await content.PublishAsync(news, default);
            return news;
        });
        Assert.Equal([news, news, null, null, null, null], await LinkedIdsAsync());

        // Edited as the HTML editor sends it back (marks included): the old path keeps its mark, a link turned external loses it.
        await site.ContentAsync(async content =>
        {
            await content.UpdateDraftAsync(page, new JsonObject { ["HtmlBodyPart"] = new JsonObject
            {
                ["Html"] = $"<p><a href=\"/news/visa-day\" data-content-item-id=\"{news}\">a</a> <a href=\"https://elsewhere.example/\" data-content-item-id=\"{news}\">b</a> " +
                           $"<a href=\"/news/2026/visa-day\">c</a></p>",
            } }, "editor", default);
            await content.PublishAsync(page, default);
            return page;
        });
        // (The API learns of the publication when it next reads the feed's head.)
        await ApiTestSite.EventuallyAsync(async () => (await LinkedIdsAsync()).SequenceEqual([news, null, news]), "the edited page's links");
    }

    [Fact]
    public async Task EveryTestItem_HasValidBlocks_MarkdownIncluded()
    {
        await using var site = await ApiTestSite.CreateAsync();
        var checkedBlocks = 0;
        foreach (var id in TestContent.PublishedIds)
        {
            checkedBlocks += await RichTextCheck.CheckItemAsync(site.Client, id);
        }
        Assert.True(checkedBlocks > 0, "no rich text found in the test content");
    }

    [Fact]
    public async Task ListsAndSync_GiveBlocksToo_AndCacheEachFormApart()
    {
        await using var site = await ApiTestSite.CreateAsync();
        foreach (var (url, items) in new[] { ("/api/v1/content/News?culture=en", "items"), ("/api/v1/sync?types=News", "items") })
        {
            var html = await site.GetJsonAsync(url);
            var blocks = await site.GetJsonAsync(url + "&richText=blocks");
            var again = await site.GetJsonAsync(url); // the html form again: its own cache entry, not the blocks one
            var bodies = (JsonObject page) => page[items]!.AsArray().Select(i => i!["fields"]!["body"]).Where(b => b is not null).ToList();
            Assert.NotEmpty(bodies(blocks));
            Assert.All(bodies(html), b => Assert.Equal(System.Text.Json.JsonValueKind.String, b!.GetValueKind()));
            Assert.All(bodies(blocks), b => Assert.Equal(System.Text.Json.JsonValueKind.Array, b!.GetValueKind()));
            Assert.All(bodies(again), b => Assert.Equal(System.Text.Json.JsonValueKind.String, b!.GetValueKind()));
        }
    }
}
