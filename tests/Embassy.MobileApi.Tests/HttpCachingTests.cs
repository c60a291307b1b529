using Embassy.Testing;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Embassy.Content.Services;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.MobileApi.Tests;

public sealed class HttpCachingTests
{
    [Fact]
    public async Task AMatchingETag_Gets304_AndAPublishChangesTheETag()
    {
        await using var site = await ApiTestSite.CreateAsync();
        const string url = "/api/v1/content/News?culture=en";
        var first = await site.Client.GetAsync(url);
        var etag = first.Headers.ETag!;
        Assert.False(etag.IsWeak);
        Assert.Equal("public, max-age=15", first.Headers.CacheControl!.ToString());

        var conditional = new HttpRequestMessage(HttpMethod.Get, url);
        conditional.Headers.IfNoneMatch.Add(etag);
        var notModified = await site.Client.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(etag, notModified.Headers.ETag);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        await site.ContentAsync(c => c.CreateAsync(new NewContentItem("News", new JsonObject
        {
            ["TitlePart"] = new JsonObject { ["Title"] = "breaking" },
            ["LocalizationPart"] = new JsonObject { ["Culture"] = "en" },
        }) { Publish = true }, default));
        await ApiTestSite.EventuallyAsync(async () =>
        {
            var again = new HttpRequestMessage(HttpMethod.Get, url);
            again.Headers.IfNoneMatch.Add(etag);
            var response = await site.Client.SendAsync(again);
            return response.StatusCode == HttpStatusCode.OK && response.Headers.ETag != etag &&
                   (await response.Content.ReadAsStringAsync()).Contains("breaking", StringComparison.Ordinal);
        }, "a new ETag after the publish");
    }

    [Fact]
    public async Task Json_IsCompressed_ForClientsThatAcceptIt()
    {
        await using var site = await ApiTestSite.CreateAsync();
        using var handler = new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None };
        var plain = await site.Client.GetAsync("/api/v1/types");
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/types");
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));
        var compressed = await site.Client.SendAsync(request);
        Assert.Equal("br", compressed.Content.Headers.ContentEncoding.Single());
        Assert.True(compressed.Content.Headers.ContentLength < plain.Content.Headers.ContentLength / 3);
        Assert.NotEqual(plain.Headers.ETag, compressed.Headers.ETag);
        Assert.Contains("Accept-Encoding", compressed.Headers.Vary);
    }

    [Fact]
    public async Task WithTheCacheDisabled_ResponsesAreTheSame()
    {
        await using var cached = await ApiTestSite.CreateAsync();
        await using var uncached = await ApiTestSite.CreateAsync(new Dictionary<string, string?> { ["MobileApi:CacheEnabled"] = "false" });
        foreach (var url in new[] { "/api/v1/types", "/api/v1/content/Faq?culture=en", $"/api/v1/items/by-alias/{TestContent.OfficeAPolishAlias}" })
        {
            var a = await (await cached.Client.GetAsync(url)).Content.ReadAsStringAsync();
            var b = await (await uncached.Client.GetAsync(url)).Content.ReadAsStringAsync();
            // The two sites were set up separately: ids are fixed by the recipe, only timestamps differ.
            Assert.Equal(Strip(a), Strip(b));
        }
    }

    [Theory]
    [InlineData("20000")]
    [InlineData("0")]
    public async Task WithTheCacheDisabled_ListsServeEachVersionAsPublishedNow(string itemCacheSize)
    {
        // Lists without the response cache still keep each published version's JSON (ItemFragmentCache): a new
        // version, and a version published again (a new publication date), must show at once.
        await using var site = await ApiTestSite.CreateAsync(new Dictionary<string, string?>
        {
            ["MobileApi:CacheEnabled"] = "false",
            ["MobileApi:ItemCacheSize"] = itemCacheSize,
        });
        const string url = "/api/v1/content/News?culture=en&limit=100";
        JsonObject News(string title) => new()
        {
            ["TitlePart"] = new JsonObject { ["Title"] = title },
            ["LocalizationPart"] = new JsonObject { ["Culture"] = "en" },
        };
        var item = await site.ContentAsync(c => c.CreateAsync(new NewContentItem("News", News("first title")) { Publish = true }, default));
        async Task<JsonObject> ListedAsync() =>
            (await site.GetJsonAsync(url))["items"]!.AsArray().Single(i => (string?)i!["id"] == item.ContentItemId)!.AsObject();
        Assert.Equal("first title", (string?)(await ListedAsync())["title"]);

        await site.ContentAsync(c => c.UpdateDraftAsync(item.ContentItemId, News("second title"), null, default));
        await site.ContentAsync(c => c.PublishAsync(item.ContentItemId, default));
        var second = await ListedAsync();
        Assert.Equal("second title", (string?)second["title"]);

        await site.ContentAsync(c => c.UnpublishAsync(item.ContentItemId, default));
        Assert.DoesNotContain(item.ContentItemId, (await site.GetJsonAsync(url)).ToJsonString(), StringComparison.Ordinal);
        await Task.Delay(10); // the next publication date differs
        await site.ContentAsync(c => c.PublishAsync(item.ContentItemId, default));
        var republished = await ListedAsync();
        Assert.Equal((string?)second["versionId"], (string?)republished["versionId"]);
        Assert.NotEqual((string?)second["publishedUtc"], (string?)republished["publishedUtc"]);
    }

    [Fact]
    public async Task WithTheCacheDisabled_ADefinitionsChangeReachesListedItems()
    {
        // The item cache is keyed by the schema version: a new field shows on items already listed.
        await using var site = await ApiTestSite.CreateAsync(new Dictionary<string, string?> { ["MobileApi:CacheEnabled"] = "false" });
        const string url = "/api/v1/content/News?culture=en";
        static JsonObject Fields(JsonObject list) => list["items"]![0]!["fields"]!.AsObject();
        var before = Fields(await site.GetJsonAsync(url)).Select(f => f.Key).ToList();

        await using (var scope = site.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ContentDefinitionStore>().AlterPartAsync(JsonNode.Parse("""
                { "Name": "News", "ContentPartFieldDefinitionRecords": [ { "FieldName": "TextField", "Name": "Kicker" } ] }
                """)!.AsObject(), default);
        }
        await ApiTestSite.EventuallyAsync(async () => Fields(await site.GetJsonAsync(url)).Count == before.Count + 1, "the new field on listed items");
        var after = Fields(await site.GetJsonAsync(url));
        Assert.All(before, key => Assert.True(after.ContainsKey(key), key));
    }

    private static string Strip(string json) => System.Text.RegularExpressions.Regex.Replace(json, "\"(publishedUtc|modifiedUtc)\":\"[^\"]*\"", "");
}
