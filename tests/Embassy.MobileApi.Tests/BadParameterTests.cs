using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Embassy.MobileApi.Tests;

/// <summary>Every bad parameter gets a 400 ProblemDetails that names it — never a 500.</summary>
public sealed class BadParameterTests : IAsyncLifetime
{
    private ApiTestSite _site = null!;

    public async Task InitializeAsync() => _site = await ApiTestSite.CreateAsync();

    public async Task DisposeAsync() => await _site.DisposeAsync();

    public static TheoryData<string, string> Cases()
    {
        var longQuery = new string('x', 3000);
        return new TheoryData<string, string>
        {
            { "/api/v1/content/News?limit=-1", "limit" },
            { "/api/v1/content/News?limit=0", "limit" },
            { "/api/v1/content/News?limit=1000000", "limit" },
            { "/api/v1/content/News?limit=ten", "limit" },
            { "/api/v1/content/News?limit=99999999999999999999", "limit" },
            { "/api/v1/content/News?limit=1&limit=2", "limit" },
            { "/api/v1/content/News?cursor=garbage", "cursor" },
            { "/api/v1/content/News?cursor=v1.eyJ0eXBlIjoiTmV3cyJ9.000000000000", "cursor" },
            { "/api/v1/content/Nope", "type" },
            { "/api/v1/content/News%3BDROP%20TABLE", "type" },
            { "/api/v1/content/News?culture=de", "culture" },
            { "/api/v1/content/News?culture=pl'%20OR%20'1'='1", "culture" },
            { "/api/v1/content/News?order=sideways", "order" },
            { "/api/v1/content/News?order=start", "order" },
            { "/api/v1/content/News?upcoming=true", "upcoming" },
            { "/api/v1/content/Event?upcoming=maybe", "upcoming" },
            { "/api/v1/content/News?fields=", "fields" },
            { $"/api/v1/content/News?q={longQuery}", "query" },
            { "/api/v1/items/%27%20OR%201%3D1", "id" },
            { "/api/v1/items/by-path", "path" },
            { "/api/v1/items/by-path?path=" + new string('p', 600), "path" },
            { "/api/v1/items/abc?culture=xx", "culture" },
            { "/api/v1/sync?token=garbage", "token" },
            { "/api/v1/sync?token=v1.AAAA.ffffffffffff", "token" },
            { "/api/v1/sync?cursor=%00%01", "cursor" },
            { "/api/v1/sync?types=News,Ghost", "types" },
            { "/api/v1/sync?types=,,", "types" },
            { "/api/v1/sync?culture=fr", "culture" },
            { "/api/v1/sync?limit=501", "limit" },
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadParameter_Is400_NamingIt(string url, string parameter)
    {
        var response = await _site.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(400, (int)problem!["status"]!);
        Assert.True(problem["errors"]?[parameter] is JsonArray { Count: > 0 }, problem.ToJsonString());
    }

    [Fact]
    public async Task ATokenForOtherFilters_IsRefused()
    {
        var first = await _site.GetJsonAsync("/api/v1/sync?types=Alert&culture=en");
        var response = await _site.Client.GetAsync($"/api/v1/sync?token={first["token"]}&types=News");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("initial sync", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
