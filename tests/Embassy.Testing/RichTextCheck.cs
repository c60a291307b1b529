using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Embassy.Testing;

/// <summary>
/// Rich text as blocks (?richText=blocks) checked against the JSON Schema the API publishes at
/// /api/v1/schemas/rich-text.json: every array of blocks found in an item's fields must be valid.
/// </summary>
public static class RichTextCheck
{
    private static readonly HashSet<string> BlockTypes = ["paragraph", "heading", "list", "quote", "image", "embed"];

    /// <summary>Fetches /api/v1/items/{id}?richText=blocks, checks every block array in it; how many were checked.</summary>
    public static async Task<int> CheckItemAsync(HttpClient client, string id)
    {
        ArgumentNullException.ThrowIfNull(client);
        var schema = JsonSchema.FromText(await client.GetStringAsync("/api/v1/schemas/rich-text.json"), new BuildOptions { SchemaRegistry = new SchemaRegistry() },
            new Uri($"https://rich-text.test/{Guid.NewGuid():N}"));
        var response = await client.GetAsync($"/api/v1/items/{id}?richText=blocks");
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        var item = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var checkedCount = 0;
        foreach (var blocks in Arrays(item["fields"]).Where(IsBlocks))
        {
            using var document = JsonDocument.Parse(blocks.ToJsonString());
            var result = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            if (!result.IsValid)
            {
                var errors = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"));
                throw new InvalidOperationException($"{id}: blocks not valid against /api/v1/schemas/rich-text.json: {string.Join("; ", errors.Take(5))}\n{blocks.ToJsonString()}");
            }
            checkedCount++;
        }
        return checkedCount;
    }

    private static bool IsBlocks(JsonArray array) =>
        array.Count > 0 && array.All(b => b is JsonObject o && o["type"] is JsonValue t && t.TryGetValue<string>(out var type) && BlockTypes.Contains(type));

    private static IEnumerable<JsonArray> Arrays(JsonNode? node)
    {
        switch (node)
        {
            case JsonArray array:
                yield return array;
                if (IsBlocks(array))
                {
                    yield break; // its inner lists are part of it
                }
                foreach (var inner in array.SelectMany(Arrays))
                {
                    yield return inner;
                }
                break;
            case JsonObject obj:
                foreach (var inner in obj.Select(p => p.Value).SelectMany(Arrays))
                {
                    yield return inner;
                }
                break;
        }
    }
}
