using Embassy.Testing;
using System.Net;
using System.Text.Json.Nodes;

namespace Embassy.MobileApi.Tests;

/// <summary>HTTP as the RFC says it (HEAD wherever GET is), and tokens that cannot pass for one another.</summary>
public sealed class ProtocolTests
{
    private const string PolishNewsId = TestContent.NewsBPolishId;

    /// <summary>RFC 9110 §9.3.2: HEAD is GET without content — same status, same headers (ETag, Content-Length, caching).</summary>
    /// <summary>The embedded database has no writer monitor and no other server: its master says it takes writes (it
    /// answered writable=false before, which an operator reading /health/live took for a fenced server).</summary>
    [Fact]
    public async Task OnTheEmbeddedDatabase_LiveSaysTheMasterTakesWrites()
    {
        await using var site = await ApiTestSite.CreateAsync();
        var live = await site.GetJsonAsync("/health/live");
        Assert.Equal("Master", (string?)live["role"]);
        Assert.True((bool)live["writable"]!);
    }

    [Theory]
    [InlineData("/api/v1/content/News?culture=en")]
    [InlineData("/api/v1/content/Event?upcoming=true&limit=2")]
    [InlineData("/api/v1/items/" + PolishNewsId)]
    [InlineData("/api/v1/items/by-path?path=nope")]
    [InlineData("/api/v1/sync?limit=5")]
    [InlineData("/api/v1/types")]
    [InlineData("/api/v1/cultures")]
    [InlineData("/api/v1/videos")]
    [InlineData("/api/content/" + PolishNewsId)]
    [InlineData("/openapi/v1.json")]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/api/v1/content/News?limit=0")]
    public async Task Head_AnswersAsGetWould_WithoutTheBody(string url)
    {
        await using var site = await ApiTestSite.CreateAsync();
        var get = await site.Client.GetAsync(url);
        var getBody = await get.Content.ReadAsByteArrayAsync();
        var head = await site.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
        Assert.Equal(get.StatusCode, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        foreach (var name in new[] { "ETag", "Cache-Control", "Vary", "Content-Language" })
        {
            Assert.Equal(Values(get, name), Values(head, name));
        }
        Assert.Equal(get.Content.Headers.ContentType?.ToString(), head.Content.Headers.ContentType?.ToString());
        if (get.Content.Headers.ContentLength is { } length)
        {
            Assert.Equal(getBody.Length, length);
            Assert.Equal(length, head.Content.Headers.ContentLength);
        }
        if (get.Headers.ETag is { } etag)
        {
            // A conditional HEAD is answered like a conditional GET.
            var conditional = new HttpRequestMessage(HttpMethod.Head, url);
            conditional.Headers.IfNoneMatch.Add(etag);
            Assert.Equal(HttpStatusCode.NotModified, (await site.Client.SendAsync(conditional)).StatusCode);
        }
    }

    private static string Values(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(",", values) : "";

    [Fact]
    public async Task ACursorUsedAsAToken_AndATokenUsedAsACursor_Are400sNamingTheParameter()
    {
        await using var site = await ApiTestSite.CreateAsync();
        var first = await site.GetJsonAsync("/api/v1/sync?limit=2");
        var cursor = (string)first["next"]!;
        string? token = null;
        var page = first;
        while (token is null)
        {
            page = await site.GetJsonAsync($"/api/v1/sync?cursor={(string)page["next"]!}&limit=100");
            token = (string?)page["token"];
        }
        var listCursor = (string)(await site.GetJsonAsync("/api/v1/content/News?culture=pl&limit=1"))["next"]!;

        await AssertBadAsync(site, $"/api/v1/sync?token={cursor}", "token", "initial sync's cursor");
        await AssertBadAsync(site, $"/api/v1/sync?cursor={token}", "cursor", "is a sync token");
        await AssertBadAsync(site, $"/api/v1/sync?token={listCursor}", "token", "not a sync token");
        await AssertBadAsync(site, $"/api/v1/content/News?culture=pl&cursor={token}", "cursor", "not one this API issued");
        await AssertBadAsync(site, $"/api/v1/content/News?culture=pl&cursor={cursor}", "cursor", "not one this API issued");
        // The right kinds still work.
        Assert.Equal("delta", (string?)(await site.GetJsonAsync($"/api/v1/sync?token={token}"))["mode"]);
        Assert.NotEmpty((await site.GetJsonAsync($"/api/v1/content/News?culture=pl&cursor={listCursor}"))["items"]!.AsArray());
    }

    /// <summary>Tokens issued before they carried their kind keep working, as the kind that had their fields.</summary>
    [Fact]
    public async Task ATokenIssuedBeforeKinds_IsStillASyncToken_ButNotACursor()
    {
        await using var site = await ApiTestSite.CreateAsync();
        var legacy = LegacyToken("""{"sequence":0,"types":null,"culture":null}""");
        Assert.Equal("delta", (string?)(await site.GetJsonAsync($"/api/v1/sync?token={legacy}"))["mode"]);
        await AssertBadAsync(site, $"/api/v1/sync?cursor={legacy}", "cursor", "is a sync token");
    }

    /// <summary>What OpaqueToken wrote before tokens carried a kind ("v1." + base64url(JSON) + "." + checksum).</summary>
    private static string LegacyToken(string json)
    {
        var body = System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(json));
        var checksum = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("embassy-api-token:" + body)).AsSpan(0, 6));
        return $"v1.{body}.{checksum}";
    }

    private static async Task AssertBadAsync(ApiTestSite site, string url, string parameter, string words)
    {
        var response = await site.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var messages = problem["errors"]?[parameter]?.AsArray().Select(m => (string?)m).ToList() ?? [];
        Assert.True(messages.Any(m => m!.Contains(words, StringComparison.Ordinal)), $"{url}: {problem.ToJsonString()}");
    }
}
