using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using Embassy.Core;
using Embassy.Notifications;
using Embassy.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Embassy.Admin.Tests;

/// <summary>
/// #31, secrets at rest: a webhook secret is shown once, when it is made or rotated, and never again — not on the CMI's
/// pages, not in the recipe export, the audit log, the application's log (every level, every category, while it signs
/// deliveries and tests) or the database as given; a rotation makes the old secret sign nothing.
/// </summary>
public sealed class SecretExposureTests
{
    [Fact]
    public async Task AWebhookSecret_IsShownOnceAndNowhereElse_AndARotationRetiresTheOldOne()
    {
        await using var receiver = await Receiver.StartAsync((http, _, _) => Task.CompletedTask);
        await using var app = await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite, new Dictionary<string, string?>
        {
            ["Embassy:Webhooks:AllowHttp"] = "true", ["Embassy:Webhooks:AllowPrivateNetworks"] = "true",
            ["Embassy:Webhooks:PollInterval"] = "00:00:00.050", ["Logging:LogLevel:Default"] = "Trace",
        });
        var log = new CapturedLog();
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(log);
        await app.Services.GetRequiredService<NotificationDispatcher>().Ready.WaitAsync(TimeSpan.FromSeconds(30));
        var admin = await CmiBrowser.SignInAsync(app);

        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/admin/webhooks", "Create", new List<KeyValuePair<string, string>>
        {
            new("url", receiver.Url("/hook")), new("description", "the website"), new("events", "content.published"),
        })).StatusCode);
        var first = SecretOn(await admin.GetStringAsync("/admin/webhooks"));
        var id = Regex.Match(await admin.GetStringAsync("/admin/webhooks"), "href=\"/admin/webhooks/([a-z0-9]+)\"").Groups[1].Value;
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/admin/webhooks", "Test", new Dictionary<string, string> { ["id"] = id })).StatusCode);
        Assert.True(SignedBy(first, Assert.Single(receiver.To("/hook"))));

        // Rotated: a new secret, shown once; the next test is signed by it, and the old one no longer verifies it.
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/admin/webhooks", "Secret", new Dictionary<string, string> { ["id"] = id })).StatusCode);
        var second = SecretOn(await admin.GetStringAsync("/admin/webhooks"));
        Assert.NotEqual(first, second);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/admin/webhooks", "Test", new Dictionary<string, string> { ["id"] = id })).StatusCode);
        var signedBySecond = receiver.To("/hook")[^1];
        Assert.True(SignedBy(second, signedBySecond));
        Assert.False(SignedBy(first, signedBySecond));

        // Nowhere else: the pages, the export, the audit log, the log, the database as given.
        var seen = new List<(string Where, string Text)>
        {
            ("the webhooks page", await admin.GetStringAsync("/admin/webhooks")),
            ("the endpoint's page", await admin.GetStringAsync($"/admin/webhooks/{id}")),
            ("the recipe export", await admin.GetStringAsync("/admin/recipes/export")),
            ("the audit page", await admin.GetStringAsync("/admin/audit")),
            ("the log", string.Join('\n', log.Lines)),
        };
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<EmbassyDbContext>();
            seen.Add(("the audit table", string.Join('\n', await db.Set<AuditEntry>().Select(e => e.Action + " " + e.Subject + " " + e.Detail).ToListAsync())));
            seen.Add(("the endpoints table", string.Join('\n', await db.Set<Embassy.Notifications.Data.WebhookEndpointRecord>().Select(e => e.ProtectedSecret + " " + e.Url).ToListAsync())));
        }
        Assert.Contains("webhook.secret", seen[3].Text, StringComparison.Ordinal); // the rotation is audited, without the secret
        Assert.NotEmpty(log.Lines);
        foreach (var secret in new[] { first, second })
        {
            foreach (var (where, text) in seen)
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal) || text.Contains(secret["whsec_".Length..], StringComparison.Ordinal),
                    $"a webhook secret appears in {where}");
            }
        }
    }

    /// <summary>Whether the delivery carries a Standard Webhooks v1 signature made with <paramref name="secret"/>.</summary>
    private static bool SignedBy(string secret, Received delivery)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var signed = $"{delivery.Headers["webhook-id"]}.{delivery.Headers["webhook-timestamp"]}.{delivery.Body}";
        var signature = "v1," + Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(key, System.Text.Encoding.UTF8.GetBytes(signed)));
        return delivery.Headers["webhook-signature"].ToString().Split(' ').Contains(signature, StringComparer.Ordinal);
    }

    private static string SecretOn(string page)
    {
        var secret = Regex.Match(WebUtility.HtmlDecode(page), "id=\"secret\" readonly value=\"(whsec_[A-Za-z0-9+/=]+)\"").Groups[1].Value;
        Assert.NotEmpty(secret);
        return secret;
    }

    private sealed class CapturedLog : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Lines);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
        }
    }
}
