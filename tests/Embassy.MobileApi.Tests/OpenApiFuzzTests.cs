using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Embassy.Testing;

namespace Embassy.MobileApi.Tests;

/// <summary>
/// An OpenAPI-driven fuzz run (#31): every operation of the document the server publishes, called with boundary and
/// malformed values in each of its parameters (path, query and header) one at a time, with unknown and repeated
/// parameters, and with hostile headers. No answer may be a 5xx, none may take 5 s, and every body must match the
/// schema the document declares for its status (<see cref="Embassy.Testing.ApiContract"/> checks each response).
/// </summary>
public sealed class OpenApiFuzzTests
{
    private static readonly string[] Strings =
    [
        "", " ", "a", new string('a', 4000), "\0", "%", "%00", "../../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "<script>alert(1)</script>",
        "' OR '1'='1", "\"; DROP TABLE ContentItems; --", "${jndi:ldap://127.0.0.1/x}", "{{7*7}}", "zażółć gęślą jaźń", "😀👍🏽", "\u202Eevil",
        "\uFFFF", "\uD800", "null", "undefined", "NaN", "-1", "0", "2147483648", "99999999999999999999999", "1e308", "1.5", "true", "[]", "{}",
        "pl", "en", "xx", "pl-PL", "*", "News", "nothing", "2026-13-45T99:99:99Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "AAAA", "====",
        "eyJhbGciOiJub25lIn0.e30.", new string('0', 64), "a,b,c", ",,,", "title desc", "-modified",
    ];

    [Fact]
    public async Task EveryOperation_WithMalformedValuesInEachParameter_AnswersWithinTheContract_NeverA5xx()
    {
        // Over a real socket (Kestrel parses what a test server would not take, such as %00 in a path).
        await using var site = KestrelSite.Start(await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite, new Dictionary<string, string?>
        {
            ["MobileApi:RateLimitPerSecond"] = "1000000", ["MobileApi:RateLimitBurst"] = "1000000",
            ["Embassy:Media:RateLimitPerSecond"] = "1000000", ["Embassy:Media:RateLimitBurst"] = "1000000",
        }));
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, RequestHeaderEncodingSelector = (_, _) => System.Text.Encoding.UTF8 }) { BaseAddress = site.Address, Timeout = TimeSpan.FromSeconds(30) };
        var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!.AsObject();
        var ids = await SomeIdsAsync(client);
        var failures = new List<string>();
        var requests = 0;
        var slowest = TimeSpan.Zero;
        async Task SendAsync(string url, IReadOnlyDictionary<string, string>? headers = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, UriKind.Relative));
            foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
            var timer = Stopwatch.StartNew();
            using var response = await client.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
            timer.Stop();
            requests++;
            slowest = timer.Elapsed > slowest ? timer.Elapsed : slowest;
            if ((int)response.StatusCode >= 500 || timer.Elapsed > TimeSpan.FromSeconds(5))
            {
                failures.Add($"{(int)response.StatusCode} in {timer.ElapsedMilliseconds} ms: GET {url[..Math.Min(url.Length, 200)]} {string.Join(' ', (headers ?? new Dictionary<string, string>()).Select(h => h.Key + "=" + h.Value[..Math.Min(h.Value.Length, 40)]))}");
            }
        }

        var operations = 0;
        foreach (var (template, item) in document["paths"]!.AsObject())
        {
            if (item?["get"] is not JsonObject operation)
            {
                continue;
            }
            operations++;
            var parameters = (item["parameters"]?.AsArray() ?? []).Concat(operation["parameters"]?.AsArray() ?? [])
                .OfType<JsonObject>().Select(p => Resolve(document, p)).ToList();
            var pathParameters = parameters.Where(p => (string?)p["in"] == "path").Select(p => (string)p["name"]!).ToList();
            string Path(IReadOnlyDictionary<string, string> values) => pathParameters.Aggregate(template,
                (path, name) => path.Replace("{" + name + "}", Uri.EscapeDataString(values.TryGetValue(name, out var v) ? v : ids.GetValueOrDefault(name, ids["id"])), StringComparison.Ordinal));
            var valid = new Dictionary<string, string>();
            await SendAsync(Path(valid));
            await SendAsync(Path(valid) + "?unknown=1&unknown=2&%ZZ=%");
            foreach (var parameter in parameters)
            {
                var name = (string)parameter["name"]!;
                var where = (string?)parameter["in"];
                foreach (var (value, index) in Values(parameter).Select((v, i) => (v, i)))
                {
                    switch (where)
                    {
                        case "path":
                            if (value.Length > 0)
                            {
                                await SendAsync(Path(new Dictionary<string, string> { [name] = value }));
                            }
                            break;
                        case "query":
                            await SendAsync($"{Path(valid)}?{Uri.EscapeDataString(name)}={Uri.EscapeDataString(value)}");
                            if (index < 8)
                            {
                                await SendAsync($"{Path(valid)}?{Uri.EscapeDataString(name)}={Uri.EscapeDataString(value)}&{Uri.EscapeDataString(name)}=1");
                            }
                            break;
                        case "header":
                            await SendAsync(Path(valid), new Dictionary<string, string> { [name] = value.Replace("\0", "", StringComparison.Ordinal) });
                            break;
                    }
                }
            }
            foreach (var (header, value) in new[]
                     {
                         ("If-None-Match", "\"not-an-etag\", W/\"\", *"), ("If-Modified-Since", "yesterday"), ("Accept", "application/xml"),
                         ("Accept-Language", "zz-ZZ;q=abc, *;q=2"), ("Range", "bytes=999999999-1"), ("X-Preview-Token", "garbage-token"),
                         ("Accept-Encoding", "gzip;q=x, br, *"), ("X-Forwarded-For", "999.999.999.999, ::1"), ("Origin", "https://attacker.example"),
                     })
            {
                await SendAsync(Path(valid), new Dictionary<string, string> { [header] = value });
            }
        }
        Assert.True(operations >= 8, $"only {operations} operations in the document");
        Assert.True(failures.Count == 0, $"{failures.Count} of {requests} requests:\n" + string.Join('\n', failures.Take(40)));
        Assert.True(requests > 5000, $"{requests} requests");
        // Every body against its declared schema: checked as each answer went out, reported (naming each mismatch) when
        // the server is disposed at the end of this test.
    }

    private static JsonObject Resolve(JsonObject document, JsonObject node)
    {
        while (node["$ref"] is JsonValue reference)
        {
            var path = ((string)reference!).TrimStart('#', '/').Split('/');
            node = path.Aggregate((JsonNode)document, (n, segment) => n[segment]!).AsObject();
        }
        return node;
    }

    /// <summary>The fuzz values for a parameter: its schema's own boundaries (enum members, minimum and maximum and one
    /// past them) and the common hostile strings.</summary>
    private static IEnumerable<string> Values(JsonObject parameter)
    {
        var schema = parameter["schema"] as JsonObject;
        var values = new List<string>(Strings);
        if (schema?["enum"] is JsonArray members)
        {
            values.AddRange(members.Select(m => m?.ToString() ?? ""));
        }
        foreach (var bound in new[] { "minimum", "maximum" })
        {
            if (schema?[bound] is JsonValue limit && limit.TryGetValue<long>(out var n))
            {
                values.AddRange([n.ToString(System.Globalization.CultureInfo.InvariantCulture), (n - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), (n + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            }
        }
        return values.Distinct(StringComparer.Ordinal);
    }

    /// <summary>Real ids to put in path parameters when another parameter is fuzzed.</summary>
    private static async Task<Dictionary<string, string>> SomeIdsAsync(HttpClient client)
    {
        var list = JsonNode.Parse(await client.GetStringAsync("/api/v1/content/News?culture=en"))!;
        var id = (string)list["items"]!.AsArray()[0]!["id"]!;
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["id"] = id, ["contentItemId"] = id, ["type"] = "News", ["contentType"] = "News", ["path"] = "docs/none.pdf", ["culture"] = "en",
        };
    }
}
