using System.Net;
using System.Text.Json.Nodes;
using Embassy.Content.Services;
using Embassy.Core;
using Embassy.Notifications.Data;
using Embassy.Notifications.Webhooks;
using Embassy.Recipes;
using Embassy.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StandardWebhooks;

namespace Embassy.Notifications.Tests;

/// <summary>
/// Webhooks against real HTTP receivers on loopback: signed as Standard Webhooks (verified by that standard's own .NET
/// library), retried on 5xx, final on other 4xx, in order per endpoint, and a dead endpoint holding up no other.
/// </summary>
public sealed class WebhookTests
{
    internal static Dictionary<string, string?> Settings(params (string Url, string Secret, string? Events, string? Types)[] endpoints)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Embassy:Webhooks:AllowHttp"] = "true",
            ["Embassy:Webhooks:AllowPrivateNetworks"] = "true", // the receivers are on loopback
            ["Embassy:Webhooks:FirstRetryDelay"] = "00:00:00.050",
            ["Embassy:Webhooks:PollInterval"] = "00:00:00.050",
        };
        for (var n = 0; n < endpoints.Length; n++)
        {
            settings[$"Embassy:Webhooks:Endpoints:{n}:Url"] = endpoints[n].Url;
            settings[$"Embassy:Webhooks:Endpoints:{n}:Secret"] = endpoints[n].Secret;
            settings[$"Embassy:Webhooks:Endpoints:{n}:Events"] = endpoints[n].Events;
            settings[$"Embassy:Webhooks:Endpoints:{n}:Types"] = endpoints[n].Types;
        }
        return settings;
    }

    internal static async Task<string> PublishAsync(EmbassyAppFactory app, string type, string title, JsonObject? more = null, string culture = "pl")
    {
        await using var scope = app.Services.CreateAsyncScope();
        var content = more?.DeepClone().AsObject() ?? [];
        content["TitlePart"] = new JsonObject { ["Title"] = title };
        content["LocalizationPart"] = new JsonObject { ["Culture"] = culture, ["LocalizationSet"] = Guid.NewGuid().ToString("N") };
        return (await scope.ServiceProvider.GetRequiredService<ContentManager>().CreateAsync(new NewContentItem(type, content) { Publish = true }, default)).ContentItemId;
    }

    internal static JsonObject Alert(string severity, bool urgent, string body = "Stay at home. The consular section is closed.") => new()
    {
        ["Alert"] = new JsonObject { ["Severity"] = new JsonObject { ["Text"] = severity }, ["Urgent"] = new JsonObject { ["Value"] = urgent } },
        ["MarkdownBodyPart"] = new JsonObject { ["Markdown"] = body },
    };

    /// <summary>Waits (moving the application's clock on, so retries fall due) until <paramref name="done"/>.</summary>
    internal static Task WaitForAsync(EmbassyAppFactory app, Func<bool> done, string what, int seconds = 30) => WaitForAsync(app, done, () => what, seconds);

    internal static async Task WaitForAsync(EmbassyAppFactory app, Func<bool> done, Func<string> what, int seconds = 30)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!done())
        {
            Assert.True(DateTime.UtcNow < until, $"timed out waiting for {what()}");
            app.Clock.Advance(TimeSpan.FromMilliseconds(200));
            await Task.Delay(20);
        }
    }

    internal static Task StartedAsync(EmbassyAppFactory app) =>
        app.Services.GetRequiredService<NotificationDispatcher>().Ready.WaitAsync(TimeSpan.FromSeconds(30));

    internal static async Task<T> InDbAsync<T>(EmbassyAppFactory app, Func<EmbassyDbContext, Task<T>> read)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<EmbassyDbContext>());
    }

    [Fact]
    public async Task AnEvent_ReachesAReceiverThatAnswers503Twice_InThreeAttempts_SignedSoTheStandardWebhooksLibraryVerifiesIt()
    {
        await using var receiver = await Receiver.StartAsync((http, n, _) =>
        {
            http.Response.StatusCode = n < 2 ? 503 : 200;
            return Task.CompletedTask;
        });
        var secret = WebhookSigning.NewSecret();
        await using var app = await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite, Settings((receiver.Url("/hook"), secret, "content.published", "Alert")));
        await StartedAsync(app); // the master's dispatcher runs, its configured endpoints in place
        await PublishAsync(app, "News", "Not an alert: not subscribed");
        var id = await PublishAsync(app, "Alert", "Embassy closed today", Alert("critical", urgent: true));
        await WaitForAsync(app, () => receiver.To("/hook").Count >= 3, "three attempts");
        await Task.Delay(300);
        var attempts = receiver.To("/hook");
        Assert.Equal(3, attempts.Count);
        Assert.Single(attempts.Select(a => a.Headers["webhook-id"].ToString()).Distinct()); // one event, its id on every attempt
        new StandardWebhook(secret).Verify(attempts[2].Body, attempts[2].Headers); // throws when the signature does not hold
        Assert.ThrowsAny<Exception>(() => new StandardWebhook(secret).Verify(attempts[2].Body.Replace(id, "someone-else", StringComparison.Ordinal), attempts[2].Headers));
        Assert.ThrowsAny<Exception>(() => new StandardWebhook(WebhookSigning.NewSecret()).Verify(attempts[2].Body, attempts[2].Headers));

        var payload = JsonNode.Parse(attempts[2].Body)!;
        Assert.Equal("content.published", (string?)payload["type"]);
        Assert.Equal(id, (string?)payload["data"]!["id"]);
        Assert.Equal("Alert", (string?)payload["data"]!["contentType"]);
        Assert.Equal("pl", (string?)payload["data"]!["culture"]);
        Assert.Equal($"/api/v1/items/{id}", (string?)payload["data"]!["url"]);
        Assert.False(string.IsNullOrEmpty((string?)payload["data"]!["versionId"]));

        // The delivery log: one delivery, delivered, its three attempts.
        var (delivery, codes) = await InDbAsync(app, async db =>
        {
            var d = await db.Set<WebhookDeliveryRecord>().SingleAsync();
            return (d, await db.Set<WebhookAttemptRecord>().Where(a => a.DeliveryId == d.Id).OrderBy(a => a.Id).Select(a => a.StatusCode).ToListAsync());
        });
        Assert.Equal(DeliveryStatus.Delivered, delivery.Status);
        Assert.Equal([503, 503, 200], codes);

        // Pruned after the retention (7 days): the delivery, its attempts and the outbox rows every queue has passed.
        Assert.True(await InDbAsync(app, db => db.Set<OutboxEventRecord>().AnyAsync()));
        app.Clock.Advance(TimeSpan.FromDays(8));
        await WaitForAsync(app, () => InDbAsync(app, async db => !await db.Set<OutboxEventRecord>().AnyAsync() && !await db.Set<WebhookDeliveryRecord>().AnyAsync()
            && !await db.Set<WebhookAttemptRecord>().AnyAsync()).Result, "pruning");
    }

    [Fact]
    public async Task GoneAndBadRequest_AreFinal_EachEndpointGetsItsEventsInOrder_AndADeadEndpointHoldsUpNoOther()
    {
        await using var receiver = await Receiver.StartAsync((http, _, received) =>
        {
            http.Response.StatusCode = received.Path switch { "/gone" => 410, "/bad" => 400, "/dead" => 503, _ => 200 };
            return Task.CompletedTask;
        });
        var secret = WebhookSigning.NewSecret();
        await using var app = await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite, Settings(
            (receiver.Url("/gone"), secret, null, null), (receiver.Url("/bad"), secret, null, null),
            (receiver.Url("/dead"), secret, null, null), (receiver.Url("/ok"), secret, null, "News")));
        await StartedAsync(app);
        var first = await PublishAsync(app, "News", "First");
        var second = await PublishAsync(app, "News", "Second");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var content = scope.ServiceProvider.GetRequiredService<ContentManager>();
            await content.UnpublishAsync(first, default);
            await content.DeleteAsync(second, default);
        }
        await WaitForAsync(app, () => receiver.To("/ok").Count >= 4 && receiver.To("/gone").Count >= 4 && receiver.To("/bad").Count >= 4,
            () => $"every endpoint's answers: ok {string.Join(",", receiver.To("/ok").Select(r => JsonNode.Parse(r.Body)!["type"]))}, gone {receiver.To("/gone").Count}, bad {receiver.To("/bad").Count}, all {string.Join(" ", receiver.Requests.Select(r => r.Path))} at {receiver.BaseUrl}");
        await WaitForAsync(app, () => receiver.To("/dead").Count >= 5, "the dead endpoint's retries");
        // Its fifth answer reaches the receiver before the sender records the attempt: wait for the record too.
        await WaitForAsync(app, () => InDbAsync(app, db => db.Set<WebhookDeliveryRecord>().Where(d => d.EndpointId == "config-2")
            .AnyAsync(d => d.Attempts >= 5)).Result, "the dead endpoint's fifth attempt recorded");

        // In order, each once: published, published, unpublished, deleted.
        var ok = receiver.To("/ok").Select(r => JsonNode.Parse(r.Body)!).ToList();
        Assert.Equal(["content.published", "content.published", "content.unpublished", "content.deleted"], ok.Select(p => (string)p["type"]!));
        Assert.Equal([first, second, first, second], ok.Select(p => (string)p["data"]!["id"]!));
        Assert.Equal(4, ok.Select(p => (long)p["data"]!["sequence"]!).Distinct().Count());
        Assert.True(ok.Select(p => (long)p["data"]!["sequence"]!).SequenceEqual(ok.Select(p => (long)p["data"]!["sequence"]!).Order()));
        // 410 and 400: one attempt per event, then the next event (final, not retried).
        Assert.Equal(4, receiver.To("/gone").Count);
        Assert.Equal(4, receiver.To("/bad").Count);
        Assert.Equal(4, receiver.To("/gone").Select(r => r.Headers["webhook-id"].ToString()).Distinct().Count());
        // The dead endpoint retries its first event only: the next waits behind it (in order), the others got theirs.
        Assert.Single(receiver.To("/dead").Select(r => r.Headers["webhook-id"].ToString()).Distinct());

        var failed = await InDbAsync(app, db => db.Set<WebhookDeliveryRecord>().Where(d => d.EndpointId == "config-0").ToListAsync());
        Assert.All(failed, d => Assert.Equal((DeliveryStatus.Failed, 410, 1), (d.Status, d.LastStatusCode, d.Attempts)));
        var dead = await InDbAsync(app, db => db.Set<WebhookDeliveryRecord>().Where(d => d.EndpointId == "config-2").OrderBy(d => d.Id).ToListAsync());
        Assert.Equal(4, dead.Count);
        Assert.True(dead[0].Attempts >= 5 && dead[0].Status == DeliveryStatus.Pending, $"{dead[0].Attempts} {dead[0].Status}");
        Assert.All(dead.Skip(1), d => Assert.Equal(0, d.Attempts));
        // Backoff grows: the waits between the dead endpoint's attempts are not all equal, and Retry-After-free 503s back off.
        Assert.True(dead[0].NextAttemptUtc > dead[0].LastAttemptUtc);

        // Given up after the retry window (24 h of the application's clock): final, with the reason.
        app.Clock.Advance(TimeSpan.FromHours(25));
        await WaitForAsync(app, () => InDbAsync(app, db => db.Set<WebhookDeliveryRecord>().AnyAsync(d => d.EndpointId == "config-2" && d.Status == DeliveryStatus.Failed)).Result,
            "the dead endpoint's first event given up");
        var given = await InDbAsync(app, db => db.Set<WebhookDeliveryRecord>().Where(d => d.EndpointId == "config-2").OrderBy(d => d.Id).FirstAsync());
        Assert.StartsWith("gave up after", given.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEndpointOnLoopback_IsRefused_UnlessPrivateNetworksAreAllowed_AndBadConfigurationStopsTheStart()
    {
        await using var receiver = await Receiver.StartAsync((http, _, _) => Task.CompletedTask);
        var settings = Settings((receiver.Url("/inside"), WebhookSigning.NewSecret(), null, null));
        settings["Embassy:Webhooks:AllowPrivateNetworks"] = "false";
        await using var app = await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite, settings);
        await StartedAsync(app);
        await PublishAsync(app, "News", "Anything");
        await WaitForAsync(app, () => InDbAsync(app, db => db.Set<WebhookDeliveryRecord>().AnyAsync(d => d.Status == DeliveryStatus.Failed)).Result, "the refusal");
        var delivery = await InDbAsync(app, db => db.Set<WebhookDeliveryRecord>().SingleAsync());
        Assert.Contains("loopback, private or link-local", delivery.LastError, StringComparison.Ordinal);
        Assert.Empty(receiver.Requests);

        foreach (var (key, value, expected) in new[]
                 {
                     ("Embassy:Webhooks:Endpoints:0:Secret", "not-a-secret", "Secret must be whsec_"),
                     ("Embassy:Webhooks:Endpoints:0:Url", "ftp://example.gov/x", "The URL must start with https://"),
                     ("Embassy:Webhooks:Endpoints:0:Events", "content.published,content.exploded", "'content.exploded' is not an event"),
                 })
        {
            var bad = Settings(("https://example.gov/hook", WebhookSigning.NewSecret(), null, null));
            bad["Embassy:Webhooks:AllowHttp"] = "false";
            bad[key] = value;
            await using var refused = await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite, bad);
            var ex = Assert.ThrowsAny<Exception>(() => refused.Services);
            Assert.Contains("Embassy:Webhooks:Endpoints:0", ex.ToString(), StringComparison.Ordinal);
            Assert.Contains(expected, ex.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ARecipe_MakesAndUpdatesEndpoints_AndARefusedOneSaysWhy()
    {
        await using var receiver = await Receiver.StartAsync((http, _, _) => Task.CompletedTask);
        var settings = Settings();
        await using var app = await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite, settings);
        var secret = WebhookSigning.NewSecret();
        var recipe = Path.Combine(app.DataDirectory, "webhooks.recipe.json");
        await File.WriteAllTextAsync(recipe, new JsonObject
        {
            ["name"] = "webhooks",
            ["steps"] = new JsonArray(new JsonObject
            {
                ["name"] = "Webhooks",
                ["Endpoints"] = new JsonArray(new JsonObject
                {
                    ["Url"] = receiver.Url("/from-recipe"), ["Events"] = "content.published", ["Types"] = new JsonArray("Alert"), ["Secret"] = secret,
                }),
            }),
        }.ToJsonString());
        var executor = app.Services.GetRequiredService<RecipeExecutor>();
        await executor.ImportFileAsync(recipe, new RecipeImportOptions(), default);
        await executor.ImportFileAsync(recipe, new RecipeImportOptions(), default); // again: updated, not doubled
        var endpoint = await InDbAsync(app, db => db.Set<WebhookEndpointRecord>().SingleAsync(e => e.Source == WebhookSources.Recipe));
        Assert.Equal(("content.published", "Alert"), (endpoint.Events, endpoint.Types));
        Assert.DoesNotContain(secret[6..], endpoint.ProtectedSecret!, StringComparison.Ordinal); // stored protected, not as given

        var id = await PublishAsync(app, "Alert", "Recipe-made endpoint", Alert("info", urgent: false));
        await WaitForAsync(app, () => receiver.To("/from-recipe").Count >= 1, "the recipe's endpoint's event");
        new StandardWebhook(secret).Verify(receiver.To("/from-recipe")[0].Body, receiver.To("/from-recipe")[0].Headers);
        Assert.Contains(id, receiver.To("/from-recipe")[0].Body, StringComparison.Ordinal);

        await File.WriteAllTextAsync(recipe, """{ "steps": [ { "name": "Webhooks", "Endpoints": [ { "Url": "file:///etc/passwd" } ] } ] }""");
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => executor.ImportFileAsync(recipe, new RecipeImportOptions(), default));
        Assert.Contains("Endpoints[0]", refused.Message, StringComparison.Ordinal);
        Assert.Contains("https://", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, await InDbAsync(app, db => db.Set<WebhookEndpointRecord>().CountAsync()));
    }
}
