using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Embassy.MobileApi.OpenApi;
using Embassy.Recipes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace Embassy.MobileApi.Tests;

/// <summary>
/// The mobile API's OpenAPI document (/openapi/v1.json) is valid, declares every route and parameter the API takes,
/// is built from the content definitions, and holds the public API only. That every response matches it is checked
/// for every test by <see cref="Embassy.Testing.ApiContract"/>.
/// </summary>
public sealed class OpenApiTests
{
    [Fact]
    public async Task TheDocument_Validates_AndDeclaresEveryRouteAndParameterTheApiTakes()
    {
        await using var site = await ApiTestSite.CreateAsync();
        var text = await site.Client.GetStringAsync("/openapi/v1.json");
        var read = OpenApiDocument.Parse(text, "json");
        Assert.NotNull(read.Document);
        Assert.Empty(read.Diagnostic!.Errors);
        Assert.Equal(200, (int)(await site.Client.GetAsync("/scalar/v1")).StatusCode);

        var document = JsonNode.Parse(text)!.AsObject();
        var paths = document["paths"]!.AsObject();
        Assert.Equal("http://localhost", (string?)document["servers"]![0]!["url"]); // no trailing slash
        Assert.Empty(document["security"]!.AsArray());                               // public: no credentials
        Assert.DoesNotContain(paths, p => p.Key.StartsWith("/admin", StringComparison.Ordinal));

        // Every /api/v1 route the server maps is in the document, with exactly the query parameters it accepts.
        var types = (await site.GetJsonAsync("/api/v1/types"))["types"]!.AsArray().Select(t => (string)t!["name"]!).ToList();
        var endpoints = site.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<ApiQuery>() is not null).ToList();
        Assert.Equal(11, endpoints.Count);
        foreach (var endpoint in endpoints)
        {
            var template = endpoint.RoutePattern.RawText!;
            var accepted = endpoint.Metadata.GetMetadata<ApiQuery>()!.Names.ToHashSet();
            var documented = template == "/api/v1/content/{type}" ? types.Select(t => "/api/v1/content/" + t).ToList() : [template];
            foreach (var path in documented)
            {
                var operation = paths[path]?["get"]?.AsObject();
                Assert.True(operation is not null, $"{path} is not in the document");
                var query = operation!["parameters"]!.AsArray().Select(p => Resolve(document, p!)).Where(p => (string?)p["in"] == "query")
                    .Select(p => (string)p["name"]!).ToHashSet();
                Assert.Subset(accepted, query);
                Assert.Empty(accepted.Except(query).Except(["upcoming", "active"])); // only types with an end take those
                Assert.NotNull(operation["responses"]!["304"]);
                Assert.NotNull(operation["responses"]!["400"]);
            }
        }

        // Typed parameters: limit is an integer with its bounds, cultures are an enum of the configured ones, path is required.
        var news = paths["/api/v1/content/News"]!["get"]!["parameters"]!.AsArray().Select(p => Resolve(document, p!)).ToList();
        var limit = news.Single(p => (string?)p["name"] == "limit")["schema"]!;
        Assert.Equal(("integer", 1, 100), ((string?)limit["type"], (int)limit["minimum"]!, (int)limit["maximum"]!));
        Assert.Equal(["pl", "en"], news.Single(p => (string?)p["name"] == "culture")["schema"]!["enum"]!.AsArray().Select(c => (string)c!));
        Assert.Contains(news, p => (string?)p["name"] == "If-None-Match" && (string?)p["in"] == "header");
        Assert.Contains(news, p => (string?)p["name"] == "Accept-Language" && (string?)p["in"] == "header");
        var byPath = paths["/api/v1/items/by-path"]!["get"]!["parameters"]!.AsArray().Select(p => Resolve(document, p!));
        Assert.True((bool)byPath.Single(p => (string?)p["name"] == "path")["required"]!);
        var q = paths["/api/v1/search"]!["get"]!["parameters"]!.AsArray().Select(p => Resolve(document, p!)).Single(p => (string?)p["name"] == "q");
        Assert.True((bool)q["required"]!);
        Assert.Equal(200, (int)q["schema"]!["maxLength"]!);
        Assert.Equal("headMedia", (string?)paths["/media/{path}"]!["head"]!["operationId"]);
        Assert.Equal("getMedia", (string?)paths["/media/{path}"]!["get"]!["operationId"]);

        // Each type's fields have their own schema: News' summary is text, its image a list of media files.
        var schemas = document["components"]!["schemas"]!.AsObject();
        var newsFields = schemas["NewsFields"]!["properties"]!.AsObject();
        Assert.Equal("#/components/schemas/MediaFile", (string?)newsFields["image"]!["items"]!["$ref"]);
        Assert.Equal(["string", "null"], newsFields["summary"]!["type"]!.AsArray().Select(t => (string)t!));
        Assert.Contains("traceId", schemas["Problem"]!["properties"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task TheDocument_ChangesWithTheContentTypes_AndIsServedWithValidators()
    {
        await using var site = await ApiTestSite.CreateAsync(new Dictionary<string, string?> { ["MobileApi:PublicBaseUrl"] = "https://api.embassy.example/" });
        var first = await site.Client.GetAsync("/openapi/v1.json");
        var etag = first.Headers.ETag!;
        var document = JsonNode.Parse(await first.Content.ReadAsStringAsync())!;
        Assert.Equal("https://api.embassy.example", (string?)document["servers"]![0]!["url"]);
        Assert.Null(document["paths"]!["/api/v1/content/Notice"]);

        using var again = new HttpRequestMessage(HttpMethod.Get, "/openapi/v1.json");
        again.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await site.Client.SendAsync(again)).StatusCode);

        // A recipe adds a type: the document gains its list route and its typed fields, under a new ETag.
        const string recipe = """
            { "name": "notice", "steps": [ { "name": "ContentDefinition",
              "ContentTypes": [ { "Name": "Notice", "DisplayName": "Notice", "Settings": { "ContentTypeSettings": { "Listable": true } },
                "ContentTypePartDefinitionRecords": [ { "PartName": "TitlePart", "Name": "TitlePart", "Settings": {} },
                                                      { "PartName": "Notice", "Name": "Notice", "Settings": {} } ] } ],
              "ContentParts": [ { "Name": "Notice", "Settings": {}, "ContentPartFieldDefinitionRecords": [
                { "FieldName": "NumericField", "Name": "Priority", "Settings": { "ContentPartFieldSettings": { "DisplayName": "Priority" } } } ] } ] } ] }
            """;
        using (var stream = new MemoryStream(Encoding.UTF8.GetBytes(recipe)))
        {
            var result = await site.App.Services.GetRequiredService<RecipeExecutor>().ImportAsync(stream, "notice.json", Path.GetTempPath(), new RecipeImportOptions(), default);
            Assert.NotEmpty(result.Steps);
        }
        await ApiTestSite.EventuallyAsync(async () => (await site.Client.GetAsync("/openapi/v1.json")).Headers.ETag!.Tag != etag.Tag, "a new document");
        var changed = JsonNode.Parse(await site.Client.GetStringAsync("/openapi/v1.json"))!;
        Assert.NotNull(changed["paths"]!["/api/v1/content/Notice"]);
        Assert.Equal(["number", "null"], changed["components"]!["schemas"]!["NoticeFields"]!["properties"]!["priority"]!["type"]!.AsArray().Select(t => (string)t!));
    }

    /// <summary>The check every API test runs under (ApiContract) fails on a response outside the document, both ways.</summary>
    [Fact]
    public async Task TheContractCheck_RefusesUndeclaredAndMissingProperties_AndWrongTypes()
    {
        await using var site = await ApiTestSite.CreateAsync();
        var document = JsonNode.Parse(await site.Client.GetStringAsync("/openapi/v1.json"))!.AsObject();
        var page = await site.GetJsonAsync("/api/v1/content/News?limit=1&culture=en");
        var schema = new JsonObject { ["$ref"] = "#/components/schemas/NewsList" };
        IReadOnlyList<string> Check(JsonNode json) => site.App.Contract.Validate(document, schema, Encoding.UTF8.GetBytes(json.ToJsonString()));

        Assert.Empty(Check(page));
        var undeclared = page.DeepClone();
        undeclared["items"]![0]!["fields"]!["secret"] = "x";
        Assert.NotEmpty(Check(undeclared));
        var missing = page.DeepClone();
        missing["items"]![0]!.AsObject().Remove("fields");
        Assert.NotEmpty(Check(missing));
        var wrongType = page.DeepClone();
        wrongType["items"]![0]!["modifiedUtc"] = "yesterday";
        Assert.NotEmpty(Check(wrongType));
        var otherType = page.DeepClone();
        otherType["items"]![0]!["type"] = "Alert";
        Assert.NotEmpty(Check(otherType));
    }

    [Fact]
    public async Task UnknownParameters_AreRefused_WithTheOneTitleOfA400()
    {
        await using var site = await ApiTestSite.CreateAsync();
        var initial = await site.GetJsonAsync("/api/v1/sync?limit=1");
        var next = (string)initial["next"]!;

        // Following the prose ("next") instead of the parameter (cursor) is an error that says so, not page 1 again.
        var wrong = await site.Client.GetAsync($"/api/v1/sync?limit=1&next={Uri.EscapeDataString(next)}");
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        var problem = JsonNode.Parse(await wrong.Content.ReadAsStringAsync())!;
        Assert.Contains("cursor", (string?)problem["errors"]!["query"]![0], StringComparison.Ordinal);
        Assert.NotNull(problem["traceId"]);

        var tooLong = await site.Client.GetAsync("/api/v1/types?x=" + new string('a', 3000));
        var badLimit = await site.Client.GetAsync("/api/v1/content/News?limit=0");
        var titles = new[] { wrong, tooLong, badLimit }.Select(r => (string?)JsonNode.Parse(r.Content.ReadAsStringAsync().Result)!["title"]).Distinct();
        Assert.Equal([Embassy.Core.ProblemTitles.BadRequest], titles);
    }

    [Fact]
    public async Task TheAdminDocument_HoldsTheCmisEndpoints_WithTheirCookieAndAntiforgerySchemes()
    {
        await using var site = await ApiTestSite.CreateAsync();
        var document = JsonNode.Parse(await site.Client.GetStringAsync("/openapi/admin.json"))!;
        var paths = document["paths"]!.AsObject();
        Assert.All(paths, p => Assert.StartsWith("/admin/api", p.Key, StringComparison.Ordinal));
        Assert.Contains("/admin/api/session", paths.Select(p => p.Key));
        var schemes = document["components"]!["securitySchemes"]!.AsObject();
        Assert.Equal("embassy.session", (string?)schemes["session"]!["name"]);
        Assert.Equal("X-CSRF-TOKEN", (string?)schemes["antiforgery"]!["name"]);
        var upload = paths.Single(p => p.Key.StartsWith("/admin/api/media/", StringComparison.Ordinal)).Value!["put"]!;
        Assert.Equal(["antiforgery", "session"], upload["security"]![0]!.AsObject().Select(s => s.Key).Order());
        Assert.Empty(paths["/admin/api/session"]!["post"]!["security"]![0]!.AsObject());
    }

    /// <summary>@redocly/cli's recommended rules (npm): no error and no warning on the mobile document, as a server
    /// with its public address configured publishes it (the rules warn of a server URL on localhost).</summary>
    [Fact]
    public async Task TheMobileDocument_PassesRedoclysRecommendedRules()
    {
        await using var site = await ApiTestSite.CreateAsync(new Dictionary<string, string?> { ["MobileApi:PublicBaseUrl"] = "https://api.embassy.example" });
        var file = Path.Combine(Embassy.Testing.TestSite.NewDataDirectory(), "v1.json");
        await File.WriteAllTextAsync(file, await site.Client.GetStringAsync("/openapi/v1.json"));
        var (exit, output, error) = await Embassy.Testing.TestVideos.RunAsync(new System.Diagnostics.ProcessStartInfo("npx",
            ["--yes", "@redocly/cli@2.77.0", "lint", "--format=summary", file])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }, TimeSpan.FromMinutes(4));
        Assert.True(exit == 0, $"{output}\n{error}");
        Assert.Contains("Your API description is valid", output + error, StringComparison.Ordinal);
        Assert.False(System.Text.RegularExpressions.Regex.IsMatch(output + error, @"You have \d+ warning"), output + error); // warnings count too
    }

    private static JsonObject Resolve(JsonObject document, JsonNode node) => Embassy.Testing.ApiContract.Resolve(document, node);
}
