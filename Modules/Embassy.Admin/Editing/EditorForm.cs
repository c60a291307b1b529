using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Embassy.Content.Models;
using Microsoft.AspNetCore.Http;

namespace Embassy.Admin.Editing;

/// <summary>One input of an editor form, generated from the content type definition.</summary>
public sealed record EditorInput(string Name, string Label, string Kind, string? Hint, IReadOnlyList<(string Value, string Text)> Options)
{
    /// <summary>The field's settings say it must have a value.</summary>
    public bool Required { get; init; }

    /// <summary>For a content picker: the types it offers (empty: every type); for a bag: the types it contains.</summary>
    public IReadOnlyList<string> Types { get; init; } = [];

    /// <summary>For a content or media picker: whether several items may be picked.</summary>
    public bool Multiple { get; init; } = true;
}

/// <summary>The messages of a posted form, each next to its input ("" for the form as a whole).</summary>
public sealed class EditorErrors
{
    private readonly Dictionary<string, List<string>> _byInput = new(StringComparer.Ordinal);

    public int Count => _byInput.Values.Sum(l => l.Count);

    public void Add(string input, string message)
    {
        if (!_byInput.TryGetValue(input, out var list))
        {
            _byInput[input] = list = [];
        }
        list.Add(message);
    }

    public IReadOnlyList<string> For(string input) => _byInput.GetValueOrDefault(input) ?? [];

    public IEnumerable<string> All => _byInput.Values.SelectMany(l => l);

    /// <summary>Puts the content store's messages ("News.Summary: expected ...") next to the input they name.</summary>
    public void AddFromStore(IEnumerable<string> messages, IReadOnlyList<EditorInput> inputs)
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var message in messages)
        {
            var input = inputs.FirstOrDefault(i => message.StartsWith(i.Name, StringComparison.Ordinal) &&
                message.Length > i.Name.Length && message[i.Name.Length] is ':' or '.' or '[');
            Add(input?.Name ?? "", message);
        }
    }
}

/// <summary>
/// Editor forms generated from a content type's definition: which inputs (title, body, alias, path,
/// culture, every field of the type's own part), how to fill them from an item, and how to turn a
/// posted form back into Orchard-shaped parts. HTML is sanitized on the server before it is stored.
/// </summary>
public static class EditorForm
{

    public static IReadOnlyList<EditorInput> Inputs(ContentTypeDefinition type, IReadOnlyDictionary<string, ContentPartDefinition> parts)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(parts);
        var inputs = new List<EditorInput>();
        foreach (var part in type.Parts)
        {
            switch (part.PartName)
            {
                case "TitlePart": inputs.Add(new("TitlePart.Title", "Title", "text", null, [])); continue;
                case "HtmlBodyPart": inputs.Add(new($"{part.Name}.Html", "Body", "html", "HTML; scripts and unsafe markup are removed on saving.", [])); continue;
                case "MarkdownBodyPart": inputs.Add(new($"{part.Name}.Markdown", "Body", "markdown", "Markdown.", [])); continue;
                case "AliasPart": inputs.Add(new($"{part.Name}.Alias", "Alias", "text", "A stable name the app can ask for.", [])); continue;
                case "AutoroutePart": inputs.Add(new($"{part.Name}.Path", "Path", "text", "e.g. news/visa-waiver-program", [])); continue;
                case "PublishLaterPart":
                    inputs.Add(new($"{part.Name}.ScheduledPublishUtc", "Publish at", "schedule", "Time in UTC. Leave empty to publish by hand; the draft is published then.", []));
                    continue;
                case "ArchiveLaterPart":
                    inputs.Add(new($"{part.Name}.ScheduledArchiveUtc", "Unpublish at", "schedule", "Time in UTC. The item is unpublished then.", []));
                    continue;
                case "LocalizationPart":
                    inputs.Add(new($"{part.Name}.Culture", "Language", "select", null, [("pl", "Polski"), ("en", "English")]));
                    continue;
                case "BagPart":
                    var contained = (part.Settings["BagPartSettings"]?["ContainedContentTypes"] as JsonArray ?? []).Select(t => (string?)t ?? "").ToList();
                    inputs.Add(new($"{part.Name}.ContentItems", (string?)part.Settings["ContentTypePartSettings"]?["DisplayName"] ?? part.Name, "bag",
                        $"The items of this bag as a JSON array (types: {string.Join(", ", contained)}). Each is checked against its type on saving.", [])
                        { Types = contained });
                    continue;
            }
            if (!parts.TryGetValue(part.PartName, out var definition))
            {
                continue;
            }
            foreach (var field in definition.Fields)
            {
                var name = $"{part.Name}.{field.Name}";
                var hint = (string?)field.Settings["ContentPartFieldSettings"]?["Description"];
                var options = (field.Settings["TextFieldPredefinedListEditorSettings"]?["Options"] as JsonArray ?? [])
                    .OfType<JsonObject>().Select(o => ((string?)o["value"] ?? "", (string?)o["name"] ?? "")).ToList();
                var kind = field.FieldName switch
                {
                    "TextField" when options.Count > 0 => "select",
                    "TextField" => "text",
                    "HtmlField" => "html",
                    "MarkdownField" => "markdown",
                    "NumericField" => "number",
                    "BooleanField" => "checkbox",
                    "DateField" => "date",
                    "DateTimeField" => "datetime-local",
                    "TimeField" => "time",
                    "LinkField" => "link",
                    "MediaField" => "media",
                    "ContentPickerField" => "items",
                    _ => "unsupported",
                };
                if (kind != "unsupported")
                {
                    if (kind == "datetime-local")
                    {
                        hint = string.Join(" ", new[] { hint, "Time in UTC." }.Where(h => h is not null));
                    }
                    var settings = field.Settings[$"{field.FieldName}Settings"];
                    var picker = field.Settings["ContentPickerFieldSettings"] ?? field.Settings["MediaFieldSettings"];
                    inputs.Add(new EditorInput(name, field.DisplayName, kind, hint, options)
                    {
                        Required = settings?["Required"] is JsonValue required && required.GetValueKind() == JsonValueKind.True,
                        Types = picker?["DisplayAllContentTypes"] is JsonValue all && all.GetValueKind() == JsonValueKind.True
                            ? [] : (picker?["DisplayedContentTypes"] as JsonArray ?? []).Select(t => (string?)t ?? "").ToList(),
                        Multiple = picker?["Multiple"] is not JsonValue multiple || multiple.GetValueKind() != JsonValueKind.False,
                    });
                }
            }
        }
        return inputs;
    }

    /// <summary>The form's values for an item (or empty for a new one).</summary>
    public static Dictionary<string, string> Values(IReadOnlyList<EditorInput> inputs, JsonObject? content)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            var (part, property) = Split(input.Name);
            var node = content?[part]?[property];
            values[input.Name] = input.Kind == "schedule" ? (Text(node) is { Length: >= 16 } at ? at[..16] : "") : IsPlain(part, input) ? Text(node) : input.Kind switch
            {
                "text" or "select" => Text(node?["Text"]),
                "html" => Text(node?["Html"]),
                "markdown" => Text(node?["Markdown"]),
                "number" => node?["Value"] is JsonValue number && number.GetValueKind() == JsonValueKind.Number ? number.ToJsonString() : "",
                "checkbox" => (node?["Value"] as JsonValue)?.GetValueKind() == JsonValueKind.True ? "true" : "",
                "date" => Text(node?["Value"]) is { Length: >= 10 } d ? d[..10] : "",
                "datetime-local" => Text(node?["Value"]) is { Length: >= 16 } dt ? dt[..16] : "",
                "time" => Text(node?["Value"]) is { Length: >= 5 } t ? t[..5] : "",
                "link" => Text(node?["Url"]) is { Length: > 0 } url || Text(node?["Text"]).Length > 0 ? $"{Text(node?["Url"])}|{Text(node?["Text"])}" : "",
                "media" => string.Join(",", (node?["Paths"] as JsonArray ?? []).Select(Text)),
                "items" => string.Join(",", (node?["ContentItemIds"] as JsonArray ?? []).Select(Text)),
                "bag" => content?[part]?["ContentItems"] is JsonArray bag ? bag.ToJsonString(Indented) : "[]",
                _ => "",
            };
        }
        return values;
    }

    /// <summary>The posted form as parts, over the item's existing content (parts the form does not show are kept).</summary>
    public static JsonObject Content(IReadOnlyList<EditorInput> inputs, IFormCollection form, JsonObject? existing, EditorErrors errors)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(errors);
        var content = (existing?.DeepClone() as JsonObject) ?? [];
        foreach (var input in inputs)
        {
            var (part, property) = Split(input.Name);
            var value = input.Kind is "items" or "media" ? string.Join(",", form[input.Name].Where(v => v is not null)) : form[input.Name].ToString();
            if (input.Required && value.Trim().Length == 0)
            {
                errors.Add(input.Name, $"{input.Label} is required.");
            }
            if (content[part] is not JsonObject partJson)
            {
                partJson = [];
                content[part] = partJson;
            }
            if (input.Kind == "schedule")
            {
                if (value.Length == 0)
                {
                    partJson.Remove(property);
                }
                else if (DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
                {
                    partJson[property] = at.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                }
                else
                {
                    errors.Add(input.Name, $"{input.Label} is not a valid date and time.");
                }
                continue;
            }
            if (input.Kind == "bag")
            {
                partJson[property] = Bag(input, value, errors);
                continue;
            }
            if (IsPlain(part, input))
            {
                partJson[property] = input.Kind == "html" ? Embassy.Content.Services.ContentSafety.SanitizeHtml(value) : value.Trim();
                continue;
            }
            JsonNode? field = input.Kind switch
            {
                "text" or "select" => new JsonObject { ["Text"] = value },
                "html" => new JsonObject { ["Html"] = Embassy.Content.Services.ContentSafety.SanitizeHtml(value) },
                "markdown" => new JsonObject { ["Markdown"] = value },
                "number" when value.Length == 0 => new JsonObject { ["Value"] = null },
                "number" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => new JsonObject { ["Value"] = number },
                "number" => Error(errors, input, "is not a number"),
                "checkbox" => new JsonObject { ["Value"] = value is "true" or "on" },
                "date" when value.Length == 0 => new JsonObject { ["Value"] = null },
                "date" when DateOnly.TryParse(value, CultureInfo.InvariantCulture, out var date) => new JsonObject { ["Value"] = $"{date:yyyy-MM-dd}T00:00:00Z" },
                "datetime-local" when value.Length == 0 => new JsonObject { ["Value"] = null },
                "datetime-local" when DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var when)
                    => new JsonObject { ["Value"] = when.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) },
                "time" when value.Length == 0 => new JsonObject { ["Value"] = null },
                "time" when TimeOnly.TryParse(value, CultureInfo.InvariantCulture, out var time) => new JsonObject { ["Value"] = time.ToString("HH:mm:ss", CultureInfo.InvariantCulture) },
                "date" or "datetime-local" or "time" => Error(errors, input, "is not a valid date or time"),
                "link" => Link(input, value, errors),
                "media" => new JsonObject { ["Paths"] = List(value), ["MediaTexts"] = new JsonArray(List(value).Select(_ => (JsonNode?)"").ToArray()) },
                "items" => new JsonObject { ["ContentItemIds"] = List(value) },
                _ => null,
            };
            if (field is not null)
            {
                partJson[property] = field;
            }
        }
        return content;
    }

    /// <summary>Inputs that are a part's own string property (Title, Alias, Path, Culture, a body's Html or Markdown), not a field.</summary>
    private static bool IsPlain(string part, EditorInput input) =>
        part is "TitlePart" or "AliasPart" or "AutoroutePart" or "LocalizationPart" ||
        ((input.Kind is "html" or "markdown") && (input.Name.EndsWith(".Html", StringComparison.Ordinal) || input.Name.EndsWith(".Markdown", StringComparison.Ordinal)));

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static JsonObject? Link(EditorInput input, string value, EditorErrors errors)
    {
        var parts = value.Split('|', 2);
        var url = parts[0].Trim();
        if (url.Length > 0 && !url.StartsWith('/') && !(Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme is "https" or "http" or "mailto" or "tel"))
        {
            errors.Add(input.Name, $"{input.Label}: '{url}' is not a link the app can open (https://…, /path, mailto: or tel:).");
            return null;
        }
        return new JsonObject { ["Url"] = url.Length > 0 ? url : null, ["Text"] = parts.Length > 1 && parts[1].Trim().Length > 0 ? parts[1].Trim() : null };
    }

    /// <summary>A bag's items, posted as a JSON array; each must name one of the bag's types.</summary>
    private static JsonArray? Bag(EditorInput input, string value, EditorErrors errors)
    {
        JsonNode? parsed;
        try
        {
            parsed = value.Trim().Length == 0 ? new JsonArray() : JsonNode.Parse(value);
        }
        catch (JsonException ex)
        {
            errors.Add(input.Name, $"{input.Label} is not valid JSON (line {ex.LineNumber + 1}, position {ex.BytePositionInLine + 1}).");
            return null;
        }
        if (parsed is not JsonArray items)
        {
            errors.Add(input.Name, $"{input.Label} must be a JSON array of items.");
            return null;
        }
        for (var i = 0; i < items.Count; i++)
        {
            var type = items[i]?["ContentType"] is JsonValue t && t.TryGetValue<string>(out var name) ? name : null;
            if (type is null || (input.Types.Count > 0 && !input.Types.Contains(type)))
            {
                errors.Add(input.Name, $"{input.Label}, item {i + 1}: ContentType must be one of {string.Join(", ", input.Types)}.");
            }
            else if (items[i] is JsonObject item && item["ContentItemId"] is null)
            {
                item["ContentItemId"] = Embassy.Core.IdGenerator.NewId();
            }
        }
        return items;
    }

    private static JsonArray List(string value) =>
        new(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => (JsonNode?)v).ToArray());

    private static JsonNode? Error(EditorErrors errors, EditorInput input, string message)
    {
        errors.Add(input.Name, $"{input.Label} {message}.");
        return null;
    }

    private static (string Part, string Property) Split(string name)
    {
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return (name[..dot], name[(dot + 1)..]);
    }

    private static string Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
