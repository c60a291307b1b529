using System.Text.Json.Nodes;

namespace Embassy.Notifications.Push;

/// <summary>
/// A content type's push settings (its "PushNotificationSettings", in the recipe like any type setting):
/// <code>{ "Enabled": true, "Topic": "alerts", "When": { "Alert.Urgent": [ true ], "Alert.Severity": [ "critical" ] },
///   "BodyField": "MarkdownBodyPart.Markdown" }</code>
/// An item of the type pushes when it is published and any "When" field holds one of its values (no "When": every
/// publication), to the topic "{Topic}-{culture}" (e.g. alerts-pl), titled with the item's title, its body the start of
/// BodyField's text.
/// </summary>
public sealed record PushSettings(string Topic, IReadOnlyDictionary<string, IReadOnlyList<JsonNode?>> When, string? BodyField)
{
    public const string Name = "PushNotificationSettings";
    public const int MaxBody = 240;

    public static PushSettings? Of(JsonObject typeSettings)
    {
        ArgumentNullException.ThrowIfNull(typeSettings);
        if (typeSettings[Name] is not JsonObject s || s["Enabled"] is not JsonValue enabled || !enabled.TryGetValue<bool>(out var on) || !on)
        {
            return null;
        }
        var topic = (s["Topic"] as JsonValue)?.TryGetValue<string>(out var t) == true && System.Text.RegularExpressions.Regex.IsMatch(t, "^[A-Za-z0-9_.~%-]{1,200}$") ? t : "content";
        var when = new Dictionary<string, IReadOnlyList<JsonNode?>>(StringComparer.Ordinal);
        if (s["When"] is JsonObject conditions)
        {
            foreach (var (field, values) in conditions)
            {
                when[field] = values is JsonArray list ? list.Select(v => v?.DeepClone()).ToList() : [values?.DeepClone()];
            }
        }
        return new PushSettings(topic, when, (s["BodyField"] as JsonValue)?.TryGetValue<string>(out var b) == true ? b : null);
    }

    /// <summary>Whether an item with this content pushes when published.</summary>
    public bool Qualifies(JsonObject content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return When.Count == 0 || When.Any(c => Value(content, c.Key) is { } value && c.Value.Any(v => JsonNode.DeepEquals(v, value)));
    }

    public string TopicFor(string? culture) => culture is null ? Topic : Topic + "-" + culture;

    /// <summary>The body: the start of BodyField's text, as plain text (markdown and HTML reduced to their words).</summary>
    public string Body(JsonObject content)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (BodyField is null || Value(content, BodyField) is not JsonValue v || !v.TryGetValue<string>(out var text))
        {
            return "";
        }
        var plain = Embassy.Content.Services.ContentSafety.PlainText(text,
            html: BodyField.EndsWith(".Html", StringComparison.Ordinal) || text.TrimStart().StartsWith('<'));
        plain = System.Text.RegularExpressions.Regex.Replace(plain, @"\s+", " ").Trim();
        return plain.Length <= MaxBody ? plain : plain[..(MaxBody - 1)].TrimEnd() + "…";
    }

    /// <summary>"Part.Field" (or "Part.Field.Property"): the field's value — its Value, Text, Markdown or Html when it is an object.</summary>
    private static JsonNode? Value(JsonObject content, string path)
    {
        JsonNode? node = content;
        foreach (var segment in path.Split('.'))
        {
            node = node is JsonObject o ? o[segment] : null;
        }
        return node is JsonObject field ? field["Value"] ?? field["Text"] ?? field["Markdown"] ?? field["Html"] : node;
    }
}
