using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace Embassy.MobileApi.Tests;

/// <summary>The OpenAPI document is valid, lists every route, and describes what the API really sends.</summary>
public sealed class OpenApiTests
{
    [Fact]
    public async Task TheDocument_Validates_AndMatchesRealResponses()
    {
        await using var site = await ApiTestSite.CreateAsync();
        var text = await site.Client.GetStringAsync("/openapi/v1.json");
        var read = OpenApiDocument.Parse(text, "json");
        Assert.NotNull(read.Document);
        Assert.Empty(read.Diagnostic!.Errors);
        Assert.Equal(200, (int)(await site.Client.GetAsync("/scalar/v1")).StatusCode);

        var document = JsonNode.Parse(text)!.AsObject();
        Assert.StartsWith("3.", (string?)document["openapi"], StringComparison.Ordinal);
        var paths = document["paths"]!.AsObject();
        foreach (var route in new[] { "/api/v1/content/{type}", "/api/v1/items/{id}", "/api/v1/items/by-alias/{alias}", "/api/v1/items/by-path",
                     "/api/v1/sync", "/api/v1/types", "/api/v1/cultures", "/api/content/{contentItemId}" })
        {
            Assert.True(paths.ContainsKey(route), route);
        }

        var schemas = document["components"]!["schemas"]!.AsObject();
        async Task CheckAsync(string route, string url)
        {
            var schema = Resolve(paths[route]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"]!, schemas);
            var actual = await site.GetJsonAsync(url);
            AssertDescribed(actual, schema, schemas, route);
        }
        await CheckAsync("/api/v1/content/{type}", "/api/v1/content/News?culture=en&limit=1");
        await CheckAsync("/api/v1/items/{id}", "/api/v1/items/gsh7dkeyr5rdc8swh339ka9yxw");
        await CheckAsync("/api/v1/sync", "/api/v1/sync?types=Alert&limit=1");
        await CheckAsync("/api/v1/types", "/api/v1/types");
        await CheckAsync("/api/v1/cultures", "/api/v1/cultures");
    }

    /// <summary>Every property the API sent is declared by the schema (recursively, through arrays and $refs).</summary>
    private static void AssertDescribed(JsonNode? actual, JsonObject schema, JsonObject schemas, string where)
    {
        switch (actual)
        {
            case JsonObject obj when schema["properties"] is JsonObject properties:
                foreach (var (key, value) in obj)
                {
                    Assert.True(properties.ContainsKey(key), $"{where}.{key} is sent but not in the OpenAPI schema");
                    AssertDescribed(value, Resolve(properties[key]!, schemas), schemas, $"{where}.{key}");
                }
                break;
            case JsonArray array when schema["items"] is { } items:
                foreach (var element in array)
                {
                    AssertDescribed(element, Resolve(items, schemas), schemas, $"{where}[]");
                }
                break;
        }
    }

    private static JsonObject Resolve(JsonNode schema, JsonObject schemas)
    {
        var obj = schema.AsObject();
        if ((string?)obj["$ref"] is { } reference)
        {
            return Resolve(schemas[reference.Split('/')[^1]]!, schemas);
        }
        // Nullable properties come as oneOf/anyOf [null, {$ref}] in OpenAPI 3.1.
        foreach (var key in new[] { "oneOf", "anyOf", "allOf" })
        {
            if (obj[key] is JsonArray variants && variants.OfType<JsonObject>().FirstOrDefault(v => v["$ref"] is not null || v["properties"] is not null) is { } variant)
            {
                return Resolve(variant, schemas);
            }
        }
        return obj;
    }
}
