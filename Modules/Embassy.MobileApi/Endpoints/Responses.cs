using System.Text.Json;
using System.Text.Json.Nodes;
using Embassy.MobileApi.Caching;

namespace Embassy.MobileApi.Endpoints;

internal static class Responses
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Serializes once; the bytes (and their hash, the ETag) are then served as they are.</summary>
    public static CachedResponse Json(JsonNode body, string? contentLanguage, string cacheControl) =>
        new(JsonSerializer.SerializeToUtf8Bytes(body, Options), contentLanguage, cacheControl);

    /// <summary>?fields=…: keeps the named metadata and fields; id and type are always kept.</summary>
    public static JsonObject Select(JsonObject item, IReadOnlySet<string>? fields)
    {
        if (fields is null)
        {
            return item;
        }
        var selected = new JsonObject();
        foreach (var (key, value) in item)
        {
            if (key is "id" or "type" || fields.Contains(key))
            {
                selected[key] = value?.DeepClone();
            }
        }
        if (item["fields"] is JsonObject all)
        {
            selected["fields"] = new JsonObject(all.Where(f => fields.Contains(f.Key)).Select(f => KeyValuePair.Create(f.Key, f.Value?.DeepClone())));
        }
        return selected;
    }
}
