using System.Text.Json.Nodes;

namespace Embassy.Content.Services;

internal static class JsonMerge
{
    /// <summary>Orchard's MergeSettings: objects merge key by key, anything else replaces.</summary>
    public static void Into(JsonObject target, JsonObject source)
    {
        foreach (var (key, value) in source)
        {
            if (value is JsonObject sourceObject && target[key] is JsonObject targetObject)
            {
                Into(targetObject, sourceObject);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }

    /// <summary>Merges two arrays of records keyed by <paramref name="keyProperty"/>, in order, merging matches.</summary>
    public static JsonArray Records(JsonArray? existing, JsonArray? incoming, string keyProperty)
    {
        var result = (existing?.DeepClone() as JsonArray) ?? [];
        foreach (var record in (incoming ?? []).OfType<JsonObject>())
        {
            var key = (string?)record[keyProperty];
            var match = result.OfType<JsonObject>().FirstOrDefault(r => (string?)r[keyProperty] == key);
            if (match is null)
            {
                result.Add(record.DeepClone());
            }
            else
            {
                Into(match, record);
            }
        }
        return result;
    }
}
