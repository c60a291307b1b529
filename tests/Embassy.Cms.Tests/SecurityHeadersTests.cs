using System.Net;
using Embassy.Testing;

namespace Embassy.Cms.Tests;

/// <summary>
/// Issue #31 (OWASP ASVS 5.0 level 2, V3.4): every response — API answers and errors, health, the OpenAPI document,
/// media and its errors, the root page, the CMI — carries a Content-Security-Policy with object-src 'none', base-uri
/// 'none' and frame-ancestors, X-Content-Type-Options: nosniff and a Referrer-Policy. Before, only the CMI, media files
/// and the root page did.
/// </summary>
public sealed class SecurityHeadersTests : IAsyncLifetime
{
    private static readonly string[] ReferrerPolicies = ["no-referrer", "same-origin"];
    private EmbassyAppFactory _app = null!;

    public async Task InitializeAsync() => _app = await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("GET", "/api/v1/content/News", HttpStatusCode.OK)]
    [InlineData("GET", "/api/v1/items/j82mm4d1650et93nntt1y1316v", HttpStatusCode.OK)] // TestContent.AlertEnglish
    [InlineData("GET", "/api/v1/items/no-such-item", HttpStatusCode.NotFound)]
    [InlineData("GET", "/api/v1/content/News?limit=abc", HttpStatusCode.BadRequest)]
    [InlineData("GET", "/api/v1/nothing-here", HttpStatusCode.NotFound)]
    [InlineData("HEAD", "/api/v1/content/News", HttpStatusCode.OK)]
    [InlineData("GET", "/health/live", HttpStatusCode.OK)]
    [InlineData("GET", "/health/ready", HttpStatusCode.OK)]
    [InlineData("GET", "/openapi/v1.json", HttpStatusCode.OK)]
    [InlineData("GET", "/media/no/such/file.jpg", HttpStatusCode.NotFound)]
    [InlineData("GET", "/", HttpStatusCode.OK)]
    [InlineData("GET", "/admin/login", HttpStatusCode.OK)]
    public async Task EveryResponse_CarriesTheSecurityHeaders(string method, string url, HttpStatusCode status)
    {
        var response = await _app.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), url));
        Assert.Equal(status, response.StatusCode);
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        foreach (var directive in new[] { "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'" })
        {
            Assert.Contains(directive, csp, StringComparison.Ordinal);
        }
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Contains(Assert.Single(response.Headers.GetValues("Referrer-Policy")), ReferrerPolicies);
    }
}
