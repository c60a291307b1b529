using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Embassy.Content.Services;
using Embassy.Notifications;
using Embassy.Notifications.Data;
using Embassy.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.Admin.Tests;

/// <summary>The CMI's webhooks page (administrators only): an endpoint is added with a secret shown once, sent a test,
/// its delivery log shows each attempt, "retry now" sends again at once, and a bad URL is refused with the reason.</summary>
public sealed class WebhookPageTests
{
    [Fact]
    public async Task AnAdministrator_AddsAnEndpoint_SeesItsSecretOnce_SendsATest_ReadsTheLog_AndRetriesNow()
    {
        await using var receiver = await Receiver.StartAsync((http, _, received) =>
        {
            http.Response.StatusCode = received.Path == "/failing" ? 500 : 200;
            return Task.CompletedTask;
        });
        await using var app = await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite, new Dictionary<string, string?>
        {
            ["Embassy:Webhooks:AllowHttp"] = "true", ["Embassy:Webhooks:AllowPrivateNetworks"] = "true",
            ["Embassy:Webhooks:PollInterval"] = "00:00:00.050", ["Embassy:Webhooks:FirstRetryDelay"] = "01:00:00", // no retry but by hand
        });
        await app.Services.GetRequiredService<NotificationDispatcher>().Ready.WaitAsync(TimeSpan.FromSeconds(30));
        var admin = await CmiBrowser.SignInAsync(app);

        // Refused, with the reason, and nothing added.
        var refused = await admin.PostFormAsync("/admin/webhooks", "Create", new Dictionary<string, string> { ["url"] = "ftp://example.gov/x", ["events"] = "content.published" });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("The URL must start with https:// or http://.", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        var made = await admin.PostFormAsync("/admin/webhooks", "Create", new List<KeyValuePair<string, string>>
        {
            new("url", receiver.Url("/cmi-hook")), new("description", "the website"), new("events", "content.published"), new("types", "Alert"),
        });
        Assert.Equal(HttpStatusCode.Redirect, made.StatusCode);
        var page = WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/webhooks"));
        var secret = Regex.Match(page, "id=\"secret\" readonly value=\"(whsec_[A-Za-z0-9+/=]+)\"").Groups[1].Value;
        Assert.NotEmpty(secret);
        Assert.DoesNotContain(secret, await admin.GetStringAsync("/admin/webhooks"), StringComparison.Ordinal); // shown once
        var id = Regex.Match(page, "href=\"/admin/webhooks/([a-z0-9]+)\"").Groups[1].Value;

        var tested = await admin.PostFormAsync("/admin/webhooks", "Test", new Dictionary<string, string> { ["id"] = id });
        Assert.Equal(HttpStatusCode.Redirect, tested.StatusCode);
        Assert.Contains("Test delivered: HTTP 200", WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/webhooks")), StringComparison.Ordinal);
        var test = Assert.Single(receiver.To("/cmi-hook"));
        Assert.Equal("webhook.test", (string?)JsonNode.Parse(test.Body)!["type"]);
        Assert.StartsWith("v1,", test.Headers["webhook-signature"].ToString(), StringComparison.Ordinal);

        // An alert reaches it; the log shows the event and its attempt.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ContentManager>().CreateAsync(new NewContentItem("Alert", new JsonObject
            {
                ["TitlePart"] = new JsonObject { ["Title"] = "Closed" },
                ["Alert"] = new JsonObject { ["Severity"] = new JsonObject { ["Text"] = "info" } },
                ["LocalizationPart"] = new JsonObject { ["Culture"] = "en" },
            }) { Publish = true }, default);
        }
        for (var i = 0; i < 200 && receiver.To("/cmi-hook").Count < 2; i++)
        {
            await Task.Delay(25);
        }
        Assert.Equal("content.published", (string?)JsonNode.Parse(receiver.To("/cmi-hook")[^1].Body)!["type"]);
        var log = WebUtility.HtmlDecode(await admin.GetStringAsync($"/admin/webhooks/{id}"));
        Assert.Contains("content.published", log, StringComparison.Ordinal);
        Assert.Contains("webhook.test", log, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Count(log, "data-status=\"Delivered\""));

        // A failing endpoint: its attempt is logged with the answer; "retry now" sends again at once (not in an hour).
        await admin.PostFormAsync("/admin/webhooks", "Create", new List<KeyValuePair<string, string>> { new("url", receiver.Url("/failing")), new("events", "content.unpublished") });
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var content = scope.ServiceProvider.GetRequiredService<ContentManager>();
            await content.UnpublishAsync(TestContent.NewsBPolish.Id, default);
        }
        for (var i = 0; i < 200 && receiver.To("/failing").Count < 1; i++)
        {
            await Task.Delay(25);
        }
        var failingId = await InDbAsync(app, db => db.Set<WebhookEndpointRecord>().Where(e => e.Url.EndsWith("/failing")).Select(e => e.Id).SingleAsync());
        var delivery = await InDbAsync(app, db => db.Set<WebhookDeliveryRecord>().SingleAsync(d => d.EndpointId == failingId));
        Assert.Equal((DeliveryStatus.Pending, 500), (delivery.Status, delivery.LastStatusCode));
        Assert.Contains("500", WebUtility.HtmlDecode(await admin.GetStringAsync($"/admin/webhooks/{failingId}")), StringComparison.Ordinal);
        var retried = await admin.PostFormAsync($"/admin/webhooks/{failingId}", "Retry", new Dictionary<string, string> { ["delivery"] = delivery.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Equal(HttpStatusCode.Redirect, retried.StatusCode);
        for (var i = 0; i < 200 && receiver.To("/failing").Count < 2; i++)
        {
            await Task.Delay(25);
        }
        Assert.Equal(2, receiver.To("/failing").Count);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostFormAsync($"/admin/webhooks/{failingId}", "Retry", new Dictionary<string, string> { ["delivery"] = "999999" })).StatusCode);

        // Deleting needs the tick; then the endpoint goes with its log.
        await admin.PostFormAsync("/admin/webhooks", "Delete", new Dictionary<string, string> { ["id"] = failingId });
        Assert.True(await InDbAsync(app, db => db.Set<WebhookEndpointRecord>().AnyAsync(e => e.Id == failingId)));
        await admin.PostFormAsync("/admin/webhooks", "Delete", new Dictionary<string, string> { ["id"] = failingId, ["confirm"] = "true" });
        Assert.False(await InDbAsync(app, db => db.Set<WebhookEndpointRecord>().AnyAsync(e => e.Id == failingId)));
        Assert.False(await InDbAsync(app, db => db.Set<WebhookDeliveryRecord>().AnyAsync(d => d.EndpointId == failingId)));

        // Editors do not manage webhooks.
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/admin/users", "Create", new Dictionary<string, string> { ["userName"] = "ewa", ["password"] = "Strong-Password-1", ["role"] = "Editor" })).StatusCode);
        var editor = await CmiBrowser.SignInAsync(app, "ewa", "Strong-Password-1");
        var denied = await editor.GetAsync("/admin/webhooks");
        Assert.Contains("/admin/denied", denied.Headers.Location?.OriginalString ?? denied.RequestMessage!.RequestUri!.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/admin/webhooks/no-such-endpoint")).StatusCode);
    }

    private static async Task<T> InDbAsync<T>(EmbassyAppFactory app, Func<Embassy.Core.EmbassyDbContext, Task<T>> read)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<Embassy.Core.EmbassyDbContext>());
    }

    /// <summary>Issue #38, group 5: a settings manager who is not an Administrator sees the endpoints but cannot add one,
    /// change one, test it or make its secret — not on the page, not through the core.</summary>
    [Fact]
    public async Task ASettingsManager_WhoIsNotAnAdministrator_NeitherChangesAnEndpointNorSeesASecret()
    {
        await using var app = await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite, new Dictionary<string, string?>
        {
            ["Embassy:Webhooks:AllowHttp"] = "true", ["Embassy:Webhooks:AllowPrivateNetworks"] = "true",
        });
        var admin = await CmiBrowser.SignInAsync(app);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/admin/webhooks", "Create", new Dictionary<string, string>
            { ["url"] = "http://127.0.0.1:9/hook", ["events"] = "content.published" })).StatusCode);
        var id = Regex.Match(await admin.GetStringAsync("/admin/webhooks"), "href=\"/admin/webhooks/([a-z0-9]+)\"").Groups[1].Value;
        Assert.NotEmpty(id);
        string settingsId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var roles = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.RoleManager<Microsoft.AspNetCore.Identity.IdentityRole>>();
            var role = new Microsoft.AspNetCore.Identity.IdentityRole("SiteSettings");
            Assert.True((await roles.CreateAsync(role)).Succeeded);
            Assert.True((await roles.AddClaimAsync(role, new System.Security.Claims.Claim(Embassy.Core.Permissions.ClaimType, Embassy.Core.Permissions.ManageSettings))).Succeeded);
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Microsoft.AspNetCore.Identity.IdentityUser>>();
            var user = new Microsoft.AspNetCore.Identity.IdentityUser("ustawienia");
            Assert.True((await users.CreateAsync(user, "Strong-Password-1")).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, "SiteSettings")).Succeeded);
            settingsId = user.Id;
        }
        var manager = await CmiBrowser.SignInAsync(app, "ustawienia", "Strong-Password-1");
        var page = WebUtility.HtmlDecode(await manager.GetStringAsync("/admin/webhooks"));
        Assert.Contains("127.0.0.1:9/hook", page, StringComparison.Ordinal); // sees the endpoint
        Assert.Contains("id=\"administrators-only\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"add-endpoint\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("handler=Secret", page, StringComparison.Ordinal);
        // The forms posted anyway (the token from the page it may read): refused, nothing changed.
        var token = await manager.TokenAsync("/admin/webhooks");
        foreach (var (handler, fields) in new (string, Dictionary<string, string>)[]
                 {
                     ("Create", new() { ["url"] = "http://127.0.0.1:9/mine", ["events"] = "content.published" }),
                     ("Secret", new() { ["id"] = id }), ("Test", new() { ["id"] = id }),
                     ("Enable", new() { ["id"] = id, ["enabled"] = "false" }), ("Delete", new() { ["id"] = id, ["confirm"] = "true" }),
                 })
        {
            fields["__RequestVerificationToken"] = token;
            var refused = await manager.PostAsync($"/admin/webhooks?handler={handler}", new FormUrlEncodedContent(fields));
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
            Assert.Contains("/admin/denied", refused.Headers.Location!.OriginalString, StringComparison.OrdinalIgnoreCase);
        }
        var after = WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/webhooks"));
        Assert.DoesNotContain("127.0.0.1:9/mine", after, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:9/hook", after, StringComparison.Ordinal);
        Assert.DoesNotContain("whsec_", after, StringComparison.Ordinal);

        // The core refuses them too, whoever calls it.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var principal = await scope.ServiceProvider.GetRequiredService<Embassy.Core.UserRights>().PrincipalAsync(settingsId);
            var accessor = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Http.IHttpContextAccessor>();
            accessor.HttpContext = new Microsoft.AspNetCore.Http.DefaultHttpContext { User = principal! };
            try
            {
                var endpoints = scope.ServiceProvider.GetRequiredService<Embassy.Notifications.Webhooks.WebhookEndpoints>();
                await Assert.ThrowsAsync<Embassy.Notifications.Webhooks.WebhookForbiddenException>(() => endpoints.RotateSecretAsync(id, default));
                await Assert.ThrowsAsync<Embassy.Notifications.Webhooks.WebhookForbiddenException>(() => endpoints.CreateAsync(
                    new Embassy.Notifications.Webhooks.EndpointRequest("http://127.0.0.1:9/core", ["content.published"], null, ""), "cmi", null, default));
                await Assert.ThrowsAsync<Embassy.Notifications.Webhooks.WebhookForbiddenException>(() => endpoints.DeleteAsync(id, default));
            }
            finally
            {
                accessor.HttpContext = null;
            }
        }
    }
}
