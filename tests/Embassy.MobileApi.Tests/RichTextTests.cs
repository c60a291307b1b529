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
