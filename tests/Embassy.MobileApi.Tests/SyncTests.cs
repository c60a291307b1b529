using System.Net;
using System.Text.Json.Nodes;
using Embassy.Content.Services;
using Embassy.Testing;

namespace Embassy.MobileApi.Tests;

public sealed class SyncTests
{
    private static JsonObject Alert(string title) => new()
    {
        ["TitlePart"] = new JsonObject { ["Title"] = title },
        ["LocalizationPart"] = new JsonObject { ["Culture"] = "en" },
        ["Alert"] = new JsonObject { ["Severity"] = new JsonObject { ["Text"] = "warning" } },
    };

    private static async Task<(List<JsonObject> Items, string Token)> InitialSyncAsync(ApiTestSite site, string query)
    {
        var items = new List<JsonObject>();
        var page = await site.GetJsonAsync($"/api/v1/sync?{query}");
        while (true)
        {
            Assert.Equal("initial", (string?)page["mode"]);
            items.AddRange(page["items"]!.AsArray().Cast<JsonObject>());
            if ((string?)page["next"] is not { } next)
            {
                return (items, (string)page["token"]!);
            }
            Assert.Null(page["token"]);
            page = await site.GetJsonAsync($"/api/v1/sync?cursor={next}&limit=3");
        }
    }

    [Fact]
    public async Task ADelta_HasExactlyTheChanges_WithTombstones_AndIsTheSameOnASecondServer()
    {
        var dataDirectory = TestSite.NewDataDirectory();
        await using var site = ApiTestSite.For(new EmbassyAppFactory(dataDirectory, settings: ApiTestSite.FastPolling));

        var kept = await site.ContentAsync(c => c.CreateAsync(new NewContentItem("Alert", Alert("kept")) { Publish = true }, default));
        var toUpdate = await site.ContentAsync(c => c.CreateAsync(new NewContentItem("Alert", Alert("to update")) { Publish = true }, default));
        var toUnpublish = await site.ContentAsync(c => c.CreateAsync(new NewContentItem("Alert", Alert("to unpublish")) { Publish = true }, default));
        var toDelete = await site.ContentAsync(c => c.CreateAsync(new NewContentItem("Alert", Alert("to delete")) { Publish = true }, default));

        var (initial, token) = await InitialSyncAsync(site, "types=Alert,News&culture=en&limit=3");
        var initialIds = initial.Select(i => (string)i["id"]!).ToList();
        Assert.Equal(initialIds.Count, initialIds.Distinct().Count());
        Assert.Subset(initialIds.ToHashSet(), new[] { kept.ContentItemId, toUpdate.ContentItemId, toUnpublish.ContentItemId, toDelete.ContentItemId }.ToHashSet());
        Assert.All(initial, i => Assert.True((string?)i["type"] is "Alert" or "News"));
        Assert.All(initial, i => Assert.Equal("en", (string?)i["culture"]));
        Assert.Equal(5, initial.Count(i => (string?)i["type"] == "Alert")); // the test content's alert in English and the four above
        Assert.Equal(2, initial.Count(i => (string?)i["type"] == "News"));

        var fresh = await site.ContentAsync(c => c.CreateAsync(new NewContentItem("Alert", Alert("new")) { Publish = true }, default));
        await site.ContentAsync(c => c.UpdateDraftAsync(toUpdate.ContentItemId, Alert("updated"), null, default));
        await site.ContentAsync(c => c.PublishAsync(toUpdate.ContentItemId, default));
        await site.ContentAsync(c => c.UnpublishAsync(toUnpublish.ContentItemId, default));
        await site.ContentAsync(c => c.DeleteAsync(toDelete.ContentItemId, default));
        // Changes outside the filter do not appear: another type, another culture.
        await site.ContentAsync(c => c.CreateAsync(new NewContentItem("Faq", new JsonObject { ["TitlePart"] = new JsonObject { ["Title"] = "faq" } }) { Publish = true }, default));
        var polish = Alert("polski");
        polish["LocalizationPart"]!["Culture"] = "pl";
        await site.ContentAsync(c => c.CreateAsync(new NewContentItem("Alert", polish) { Publish = true }, default));

        JsonObject delta = null!;
        await ApiTestSite.EventuallyAsync(async () =>
        {
            delta = await site.GetJsonAsync($"/api/v1/sync?token={token}");
            return delta["deleted"]!.AsArray().Count == 2;
        }, "the delta shows the changes");
        Assert.Equal("delta", (string?)delta["mode"]);
        Assert.Equal([fresh.ContentItemId, toUpdate.ContentItemId], delta["items"]!.AsArray().Select(i => (string)i!["id"]!));
        Assert.Equal("updated", (string?)delta["items"]![1]!["title"]);
        Assert.Equal([toUnpublish.ContentItemId, toDelete.ContentItemId], delta["deleted"]!.AsArray().Select(i => (string)i!["id"]!));
        Assert.False((bool)delta["hasMore"]!);
        var nextToken = (string)delta["token"]!;
        var empty = await site.GetJsonAsync($"/api/v1/sync?token={nextToken}");
        Assert.Empty(empty["items"]!.AsArray());
        Assert.Equal(nextToken, (string?)empty["token"]);

        // A second server on the same (replicated) data answers the same token with the same bytes.
        var first = await site.Client.GetAsync($"/api/v1/sync?token={token}");
        await using var standby = ApiTestSite.For(new EmbassyAppFactory(dataDirectory, settings: EmbassyAppFactory.StandbyOf(new Uri("http://127.0.0.1:9/"), ApiTestSite.FastPolling)));
        var second = await standby.Client.GetAsync($"/api/v1/sync?token={token}");
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
    }

    [Fact]
    public async Task ALongDelta_ComesInPages()
    {
        await using var site = await ApiTestSite.CreateAsync();
        var (_, token) = await InitialSyncAsync(site, "types=Alert");
        for (var i = 0; i < 7; i++)
        {
            await site.ContentAsync(c => c.CreateAsync(new NewContentItem("Alert", Alert($"a{i}")) { Publish = true }, default));
        }
        var received = new List<string>();
        await ApiTestSite.EventuallyAsync(async () =>
        {
            received.Clear();
            var t = token;
            while (true)
            {
                var delta = await site.GetJsonAsync($"/api/v1/sync?token={t}&limit=3");
                received.AddRange(delta["items"]!.AsArray().Select(i => (string)i!["title"]!));
                t = (string)delta["token"]!;
                if (!(bool)delta["hasMore"]!)
                {
                    return received.Count == 7;
                }
            }
        }, "seven items over three pages");
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"a{i}"), received);
    }
}
