using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Embassy.Content.Services;
using Embassy.Notifications.Data;
using Embassy.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Embassy.Notifications.Tests.WebhookTests;

namespace Embassy.Notifications.Tests;

/// <summary>
/// Push notifications through FCM's HTTP v1 API, against a stand-in of Google's token endpoint and of FCM on loopback
/// (the only stand-in: Google cannot be reached here). The token endpoint checks the JWT assertion's RS256 signature
/// with the service account's public key; FCM answers 429 with Retry-After once.
/// </summary>
public sealed class PushTests
{
    private sealed class Google : IAsyncDisposable
    {
        public required Receiver Http { get; init; }
        public required string CredentialsFile { get; init; }
        public int Tokens;

        /// <summary>The service account's keys Google accepts now, by key id (the JWT header's kid): their public halves.</summary>
        public System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> Keys { get; } = new();

        public List<JsonNode> Messages => Http.To("/v1/projects/embassy-test/messages:send").Select(r => JsonNode.Parse(r.Body)!).ToList();

        /// <summary>A new key: accepted from now on, written to the key file as an operator who rotates it does.</summary>
        public async Task NewKeyAsync(string keyId)
        {
            using var rsa = RSA.Create(2048);
            Keys[keyId] = rsa.ExportSubjectPublicKeyInfo();
            await File.WriteAllTextAsync(CredentialsFile + ".new", new JsonObject
            {
                ["type"] = "service_account", ["project_id"] = "embassy-test", ["private_key_id"] = keyId, ["private_key"] = rsa.ExportPkcs8PrivateKeyPem(),
                ["client_email"] = "push@embassy-test.iam.gserviceaccount.com", ["token_uri"] = Http.Url("/token"),
            }.ToJsonString());
            File.Move(CredentialsFile + ".new", CredentialsFile, overwrite: true); // as the README asks: never half a key file
        }

        public ValueTask DisposeAsync() => Http.DisposeAsync();
    }

    /// <summary>The stand-ins: a token endpoint that gives "ya29.{kid}" for an assertion signed with a key it accepts,
    /// and FCM, which accepts those tokens while their key is accepted and answers its first message with 429.</summary>
    private static async Task<Google> StartGoogleAsync(string directory)
    {
        Google? google = null;
        var http = await Receiver.StartAsync(async (context, n, received) =>
        {
            if (received.Path == "/token")
            {
                var form = System.Web.HttpUtility.ParseQueryString(received.Body);
                var (keyId, problem) = CheckAssertion(form["assertion"], google!.Keys, form["grant_type"], google.Http.Url("/token"));
                if (problem is not null)
                {
                    context.Response.StatusCode = 400;
                    await context.Response.WriteAsync(problem);
                    return;
                }
                Interlocked.Increment(ref google.Tokens);
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync($$"""{ "access_token": "ya29.{{keyId}}", "expires_in": 3599, "token_type": "Bearer" }""");
                return;
            }
            if (context.Request.Headers.Authorization.ToString() is not ['B', 'e', 'a', 'r', 'e', 'r', ' ', 'y', 'a', '2', '9', '.', .. var tokenKey]
                || !google!.Keys.ContainsKey(tokenKey))
            {
                context.Response.StatusCode = 401;
                return;
            }
            if (n == 0)
            {
                context.Response.StatusCode = 429;
                context.Response.Headers.RetryAfter = "2";
                return;
            }
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync($$"""{ "name": "projects/embassy-test/messages/{{n}}" }""");
        });
        Directory.CreateDirectory(directory);
        google = new Google { Http = http, CredentialsFile = Path.Combine(directory, "service-account.json") };
        await google.NewKeyAsync("key-1");
        return google;
    }

    /// <summary>What is wrong with a JWT bearer assertion (RFC 7523, as Google checks it); null: nothing.</summary>
    private static (string? KeyId, string? Problem) CheckAssertion(string? assertion, System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> keys, string? grantType, string audience)
    {
        if (grantType != "urn:ietf:params:oauth:grant-type:jwt-bearer" || assertion?.Split('.') is not [var header, var claims, var signature])
        {
            return (null, "not a JWT bearer grant");
        }
        static byte[] Decode(string part) => Convert.FromBase64String(part.Replace('-', '+').Replace('_', '/').PadRight((part.Length + 3) / 4 * 4, '='));
        var h = JsonNode.Parse(Decode(header))!;
        if ((string?)h["kid"] is not { } keyId || !keys.TryGetValue(keyId, out var publicKey))
        {
            return (null, "unknown key");
        }
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(publicKey, out _);
        if (!rsa.VerifyData(Encoding.ASCII.GetBytes(header + "." + claims), Decode(signature), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
        {
            return (null, "bad signature");
        }
        var c = JsonNode.Parse(Decode(claims))!;
        return (keyId, (string?)h["alg"] != "RS256" ? "alg"
            : (string?)c["iss"] != "push@embassy-test.iam.gserviceaccount.com" ? "iss"
            : (string?)c["aud"] != audience ? "aud"
            : (string?)c["scope"] != "https://www.googleapis.com/auth/firebase.messaging" ? "scope"
            : (long)c["exp"]! - (long)c["iat"]! is > 3600 or <= 0 ? "lifetime"
            : null);
    }

    /// <summary>The test host's settings, pushing through the stand-ins.</summary>
    private static Dictionary<string, string?> PushSettings(Google google, params (string Key, string Value)[] more)
    {
        var settings = Settings();
        settings["Embassy:Push:Fcm:CredentialsFile"] = google.CredentialsFile;
        settings["Embassy:Push:Fcm:Endpoint"] = google.Http.BaseUrl + "/";
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }
        return settings;
    }

    private static Task DeliveredAsync(EmbassyAppFactory app, int count) =>
        WaitForAsync(app, () => InDbAsync(app, db => db.Set<PushMessageRecord>().CountAsync(p => p.Status == DeliveryStatus.Delivered)).GetAwaiter().GetResult() >= count,
            $"{count} push(es) delivered");

    [Fact]
    public async Task AnUrgentAlert_PushesOncePerItem_InItsCulturesTopic_AfterA429WithRetryAfter_AndEditsDoNotPushAgain()
    {
        await using var google = await StartGoogleAsync(Path.Combine(TestSite.NewDataDirectory(), "google"));
        await using var app = await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite, PushSettings(google, ("Embassy:Scheduler:Interval", "00:00:00.100")));
        await StartedAsync(app);

        var urgent = await PublishAsync(app, "Alert", "Ambasada zamknięta", Alert("warning", urgent: true, "**Dziś** ambasada jest zamknięta. Więcej: [strona](https://pl.usembassy.gov)."));
        await PublishAsync(app, "Alert", "Informacja", Alert("info", urgent: false)); // neither urgent nor critical: no push
        await PublishAsync(app, "News", "News never push");
        await WaitForAsync(app, () => google.Messages.Count >= 2, "the push, after a 429");
        await DeliveredAsync(app, 1); // the stand-in has the request before the server has its answer
        var message = google.Messages[^1]["message"]!;
        Assert.Equal("alerts-pl", (string?)message["topic"]);
        Assert.Equal("Ambasada zamknięta", (string?)message["notification"]!["title"]);
        Assert.Equal("Dziś ambasada jest zamknięta. Więcej: strona.", (string?)message["notification"]!["body"]);
        Assert.Equal(urgent, (string?)message["data"]!["id"]);
        Assert.Equal("Alert", (string?)message["data"]!["type"]);
        var key = (string?)message["data"]!["messageKey"];
        Assert.Equal(key, (string?)message["android"]!["collapse_key"]);
        Assert.Equal(key, (string?)message["apns"]!["headers"]!["apns-collapse-id"]);
        Assert.Equal(1, google.Tokens); // one token, kept for the retry

        var push = await InDbAsync(app, db => db.Set<PushMessageRecord>().SingleAsync());
        Assert.Equal((DeliveryStatus.Delivered, 2, "projects/embassy-test/messages/1"), (push.Status, push.Attempts, push.MessageName));
        Assert.Equal(key, push.ContentItemVersionId);
        Assert.True(push.DoneUtc - push.FirstAttemptUtc >= TimeSpan.FromSeconds(2), $"retried {push.DoneUtc - push.FirstAttemptUtc} after the 429's Retry-After: 2");

        // Edited and published again, unpublished and published again: no second push for the item.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var content = scope.ServiceProvider.GetRequiredService<ContentManager>();
            await content.UpdateDraftAsync(urgent, new JsonObject { ["TitlePart"] = new JsonObject { ["Title"] = "Ambasada zamknięta do 16:00" } }, "editor", default);
            await content.PublishAsync(urgent, default);
            await content.UnpublishAsync(urgent, default);
            await content.PublishAsync(urgent, default);
        }
        // A critical alert in English, scheduled: it pushes when it goes live, not before.
        string scheduled;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var content = Alert("critical", urgent: false, "Shelter in place.");
            content["TitlePart"] = new JsonObject { ["Title"] = "Security alert" };
            content["LocalizationPart"] = new JsonObject { ["Culture"] = "en", ["LocalizationSet"] = Guid.NewGuid().ToString("N") };
            content["PublishLaterPart"] = new JsonObject { ["ScheduledPublishUtc"] = app.Clock.GetUtcNow().UtcDateTime.AddHours(2).ToString("O") };
            scheduled = (await scope.ServiceProvider.GetRequiredService<ContentManager>().CreateAsync(new NewContentItem("Alert", content), default)).ContentItemId;
        }
        await Task.Delay(1000);
        Assert.Equal(2, google.Messages.Count);
        app.Clock.Advance(TimeSpan.FromHours(3));
        await WaitForAsync(app, () => google.Messages.Count >= 3, "the scheduled alert's push");
        Assert.Equal(("alerts-en", scheduled), ((string?)google.Messages[^1]["message"]!["topic"], (string?)google.Messages[^1]["message"]!["data"]!["id"]));
        await Task.Delay(500);
        Assert.Equal(3, google.Messages.Count);
        Assert.Equal(2, await InDbAsync(app, db => db.Set<PushMessageRecord>().CountAsync()));
    }

    [Fact]
    public async Task ARotatedServiceAccountKey_IsReadFromItsFileAgain_WithoutARestart()
    {
        await using var google = await StartGoogleAsync(Path.Combine(TestSite.NewDataDirectory(), "google"));
        await using var app = await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite, PushSettings(google));
        await StartedAsync(app);
        await PublishAsync(app, "Alert", "Pierwszy alarm", Alert("warning", urgent: true));
        await DeliveredAsync(app, 1);

        // The operator makes a new key, replaces the file and deletes the old key at Google: its tokens stop working.
        await google.NewKeyAsync("key-2");
        google.Keys.TryRemove("key-1", out _);
        await PublishAsync(app, "Alert", "Drugi alarm", Alert("critical", urgent: false));
        IReadOnlyList<Received> WithNewKey() =>
            google.Http.To("/v1/projects/embassy-test/messages:send").Where(r => r.Headers.Authorization == "Bearer ya29.key-2").ToList();
        await WaitForAsync(app, () => WithNewKey().Count > 0, "a push with a token of key-2");
        Assert.Equal("Drugi alarm", (string?)JsonNode.Parse(WithNewKey()[0].Body)!["message"]!["notification"]!["title"]);
        await DeliveredAsync(app, 2);
    }
}
