using System.Net;
using Embassy.Testing;

namespace Embassy.Cms.Tests;

/// <summary>Operations issue: behind a proxy every client shared one rate-limit bucket. With the proxy configured, its
/// X-Forwarded-For names the client; from anyone else the header is ignored (no one can pose as another address).</summary>
public sealed class ProxyTests
{
    [Fact]
    public async Task AConfiguredProxy_NamesTheClient_AndNobodyElseCan()
    {
        await using var app = await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite, new Dictionary<string, string?>
        {
            ["Embassy:Proxy:KnownProxies:0"] = "10.0.0.1",
            ["MobileApi:RateLimitPerSecond"] = "1",
            ["MobileApi:RateLimitBurst"] = "2",
        });
        async Task<HttpStatusCode> GetAsync(string from, string? forwardedFor)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/cultures");
            request.Headers.Add(TestClientAddress.Header, from);
            if (forwardedFor is not null)
            {
                request.Headers.Add("X-Forwarded-For", forwardedFor);
            }
            return (await app.CreateClient().SendAsync(request)).StatusCode;
        }
        // Through the proxy: each client has its own bucket.
        var first = new[] { await GetAsync("10.0.0.1", "203.0.113.1"), await GetAsync("10.0.0.1", "203.0.113.1"), await GetAsync("10.0.0.1", "203.0.113.1") };
        Assert.Contains(HttpStatusCode.TooManyRequests, first);
        Assert.Equal(HttpStatusCode.OK, await GetAsync("10.0.0.1", "203.0.113.2"));
        // Not the proxy: the header is ignored, the connection's address counts.
        var spoofed = new[] { await GetAsync("198.51.100.9", "203.0.113.3"), await GetAsync("198.51.100.9", "203.0.113.4"), await GetAsync("198.51.100.9", "203.0.113.5") };
        Assert.Contains(HttpStatusCode.TooManyRequests, spoofed);
    }

    [Fact]
    public void AProxyThatIsNotAnAddress_StopsTheStart_NamingTheKey()
    {
        using var app = new EmbassyAppFactory(TestSite.NewDataDirectory(), settings: new Dictionary<string, string?> { ["Embassy:Proxy:KnownProxies:0"] = "proxy.example" });
        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        Assert.Contains("Embassy:Proxy:KnownProxies must list IP addresses", error.ToString(), StringComparison.Ordinal);
    }
}
