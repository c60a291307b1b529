using System.Net;
using System.Text.Json.Nodes;
using Embassy.Content.Services;
using Embassy.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.Cms.Tests;

/// <summary>
/// The front (#33: deploy/nginx/embassy-front.conf, run by Debian's nginx exactly as installed) in front of the whole
/// app on a real socket: public API answers are cached and revalidated with the app's ETags, previews never are, a
/// publication shows through the front long before the answer's max-age (15 s), and when the app process is gone,
/// what was cached keeps answering while what was not fails fast.
/// </summary>
public sealed class FrontTests
{
    [Fact]
    public async Task ThroughTheFront_PublicAnswersAreCached_PreviewsNever_PublicationsShow_AndCachedReadsOutliveTheApp()
    {
        var site = KestrelSite.Start(await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite, new Dictionary<string, string?>
        {
            ["MobileApi:HeadPollInterval"] = "00:00:00.100",
            ["Embassy:Proxy:KnownProxies:0"] = "127.0.0.1",
        }));
        var appStopped = false;
        try
        {
            using var front = await NginxFront.StartAsync(site.Address);
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var list = front.Url("/api/v1/content/News?culture=en&limit=5");

            using var first = await client.GetAsync(list);
            Assert.True(first.StatusCode == HttpStatusCode.OK, $"{(int)first.StatusCode}: {front.ErrorLog}");
            Assert.Equal("MISS", Header(first, "X-Cache-Status"));
            using var second = await client.GetAsync(list);
            Assert.True(FromCache(second), Header(second, "X-Cache-Status"));
            Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
            // The app's validators pass through: its ETag, and a 304 for a phone that has this copy.
            using var direct = await client.GetAsync(site.Url("/api/v1/content/News?culture=en&limit=5"));
            Assert.Equal(direct.Headers.ETag, first.Headers.ETag);
            // The app lets the front keep a public answer to the end of the second it gave it in (nginx counts whole
            // seconds: its own "1 s" is up to 2); the front takes the header out.
            var until = long.Parse(Header(direct, "X-Accel-Expires")!.TrimStart('@'), System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(until, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 2, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            Assert.Null(Header(first, "X-Accel-Expires"));
            using (var conditional = new HttpRequestMessage(HttpMethod.Get, list))
            {
                conditional.Headers.IfNoneMatch.Add(first.Headers.ETag!);
                using var notModified = await client.SendAsync(conditional);
                Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
            }

            // Phones' headers differ in every detail: the URL names the culture, so Accept-Language does not split the copy,
            // and the encodings are kept by what the app answers in (br, gzip, none), not by the header's exact text.
            Assert.True(FromCache(await SendAsync(client, list, ("Accept-Language", "de-DE,de;q=0.9,en;q=0.5"))));
            Assert.True(FromCache(await SendAsync(client, list, ("Accept-Encoding", "identity"))));
            using var brotli = await SendAsync(client, list, ("Accept-Encoding", "gzip, deflate, br"));
            Assert.Equal("br", brotli.Content.Headers.ContentEncoding.Single());
            Assert.True(FromCache(await SendAsync(client, list, ("Accept-Encoding", "br;q=1.0, gzip;q=0.8"))));

            // A preview token never reaches the cache, nor is answered from it.
            foreach (var _ in Enumerable.Range(0, 2))
            {
                using var preview = new HttpRequestMessage(HttpMethod.Get, list);
                preview.Headers.Add("X-Preview-Token", "not-a-token");
                using var refused = await client.SendAsync(preview);
                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
                Assert.False(FromCache(refused));
            }
            using var afterPreview = await client.GetAsync(list);
            Assert.Equal(HttpStatusCode.OK, afterPreview.StatusCode);

            // A publication shows through the front within a few seconds, not after the answer's max-age.
            await using (var scope = site.App.Services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<ContentManager>().CreateAsync(new NewContentItem("News", new JsonObject
                {
                    ["TitlePart"] = new JsonObject { ["Title"] = "seen through the front" },
                    ["LocalizationPart"] = new JsonObject { ["Culture"] = "en" },
                }) { Publish = true }, default);
            }
            await Eventually.TrueAsync(async () => (await client.GetStringAsync(list)).Contains("seen through the front", StringComparison.Ordinal),
                "the publication shows through the front", TimeSpan.FromSeconds(8), TimeSpan.FromMilliseconds(100));
            var published = await client.GetStringAsync(list);

            // The app process gone: the cached answer keeps coming (stale), for as long as the test asks; an answer
            // never cached fails at once (502), so a phone's client moves to the other server without waiting.
            await site.DisposeAsync();
            appStopped = true;
            for (var i = 0; i < 10; i++)
            {
                using var stale = await SendAsync(client, list, ("Accept-Language", i % 2 == 0 ? "fr-FR" : "pl-PL,pl;q=0.9"));
                Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
                Assert.Equal(published, await stale.Content.ReadAsStringAsync());
                await Task.Delay(300);
            }
            var started = System.Diagnostics.Stopwatch.StartNew();
            using var never = await client.GetAsync(front.Url("/api/v1/content/Event?culture=en&limit=5"));
            Assert.Equal(HttpStatusCode.BadGateway, never.StatusCode);
            Assert.True(started.Elapsed < TimeSpan.FromSeconds(3), $"an uncached read with the app down took {started.Elapsed}");
        }
        finally
        {
            if (!appStopped)
            {
                await site.DisposeAsync();
            }
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string url, (string Name, string Value) header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation(header.Name, header.Value);
        return await client.SendAsync(request);
    }

    /// <summary>Answered from the front's copy: fresh (HIT), or just expired and refreshed in the background (STALE,
    /// UPDATING) or revalidated with the app's ETag (REVALIDATED). A copy is fresh only to the end of the second it was
    /// made in, so a test's next request may find it just expired (CI found one).</summary>
    private static bool FromCache(HttpResponseMessage response) =>
        Header(response, "X-Cache-Status") is "HIT" or "STALE" or "UPDATING" or "REVALIDATED";

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
