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

    /// <summary>For a field: its kind's editor (reads and binds it); null for a part's own property.</summary>
    public IFieldEditor? Editor { get; init; }

    /// <summary>The site's time zone, for inputs of a date and time (shown and typed in it, stored UTC).</summary>
    public SiteTime? Time { get; init; }

    /// <summary>For a media picker: the file extensions it takes (Orchard's MediaFieldSettings.AllowedExtensions); empty: any.</summary>
    public IReadOnlyList<string> Extensions { get; init; } = [];
}

/// <summary>The messages of a posted form, each next to its input ("" for the form as a whole).</summary>
public sealed class EditorErrors
{
    private readonly Dictionary<string, List<string>> _byInput = new(StringComparer.Ordinal);

    public int Count => _byInput.Values.Sum(l => l.Count);

    /// <summary>Puts a text into the editor's language, {0} … filled in (the Edit page gives the CMI's; English when unset).</summary>
    public Func<string, object?[], string> Say { get; set; } =
        (text, arguments) => arguments.Length == 0 ? text : string.Format(CultureInfo.InvariantCulture, text, arguments);

    /// <summary>A message next to an input: <paramref name="text"/> (a literal, so the translators' check finds it) in the
    /// editor's language, with <paramref name="arguments"/> filled in.</summary>
    public void Add(string input, string text, params object?[] arguments) => AddMessage(input, Say(text, arguments));

    /// <summary>Puts a content-core message into the editor's language when it is one the CMI knows (the Edit page gives it).</summary>
    public Func<string, string> Core { get; set; } = message => message;

    /// <summary>A field's label as the form shows it.</summary>
    public string Label(EditorInput input) => Say(input?.Label ?? "", []);

    private void AddMessage(string input, string message)
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
            AddMessage(input?.Name ?? "", Core(message));
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

    public static IReadOnlyList<EditorInput> Inputs(ContentTypeDefinition type, IReadOnlyDictionary<string, ContentPartDefinition> parts, FieldEditors editors,
        SiteTime? time = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentNullException.ThrowIfNull(editors);
        var inputs = new List<EditorInput>();
        foreach (var part in type.Parts)
        {
            if (editors.ForPart(part.PartName) is { } partEditor)
            {
                inputs.AddRange(partEditor.Inputs(part));
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
                if (editors.For(field.FieldName) is not { } editor)
                {
                    continue; // a field kind the CMI has no editor for is kept as stored
                }
                var settings = field.Settings[$"{field.FieldName}Settings"];
                var picker = field.Settings["ContentPickerFieldSettings"] ?? field.Settings["MediaFieldSettings"];
                inputs.Add(new EditorInput(name, field.DisplayName, editor.Renderer(options), editor.Hint is null ? hint : string.Join(" ", new[] { hint, editor.Hint }.Where(h => h is not null)), options)
                {
                    Required = settings?["Required"] is JsonValue required && required.GetValueKind() == JsonValueKind.True,
                    Types = picker?["DisplayAllContentTypes"] is JsonValue all && all.GetValueKind() == JsonValueKind.True
                        ? [] : (picker?["DisplayedContentTypes"] as JsonArray ?? []).Select(t => (string?)t ?? "").ToList(),
                    Multiple = picker?["Multiple"] is not JsonValue multiple || multiple.GetValueKind() != JsonValueKind.False,
                    Extensions = Embassy.Content.Elements.MediaFieldKind.AllowedExtensions(field.Settings),
                    Editor = editor,
                });
            }
        }
        // Times are the editor's own, in the site's zone, typed in one format whatever the browser's language.
        var zone = time ?? SiteTime.Default;
        return inputs.Select(i => i.Kind is "schedule" or "datetime"
            ? i with { Time = zone } // the form says "Your time (zone), as YYYY-MM-DD HH:MM." before the hint
            : i).ToList();
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
            if (input.Editor is { } editor)
            {
                values[input.Name] = editor.Read(input, node);
                foreach (var (key, value) in editor.Extras(input.Name, node))
                {
                    values[key] = value;
                }
                continue;
            }
            values[input.Name] = input.Kind switch
            {
                "schedule" => DateTime.TryParse(Text(node), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at)
                    ? (input.Time ?? SiteTime.Default).Show(at) : "",
                "bag" => content?[part]?["ContentItems"] is JsonArray bag ? bag.ToJsonString(Indented) : "[]",
                _ => Text(node), // a part's own property (title, alias, path, culture, a body)
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
                errors.Add(input.Name, "{0} is required.", errors.Label(input));
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
                else if ((input.Time ?? SiteTime.Default).ToUtc(value, out var problem) is { } at)
                {
                    partJson[property] = at.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                }
                else
                {
                    errors.Add(input.Name, "{0} {1}.", errors.Label(input), errors.Say(problem!, [(input.Time ?? SiteTime.Default).Name]));
                }
                continue;
            }
            if (input.Kind == "bag")
            {
                partJson[property] = Bag(input, value, errors);
                continue;
            }
            if (input.Editor is { } editor)
            {
                if (editor.Bind(input, form, partJson[property], errors) is { } field)
                {
                    partJson[property] = field;
                }
                continue;
            }
            // A part's own property (title, alias, path, culture, a body); a body's HTML is cleaned by the content core.
            partJson[property] = input.Kind == "html" ? value : value.Trim();
        }
        return content;
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

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
            errors.Add(input.Name, "{0} is not valid JSON (line {1}, position {2}).", errors.Label(input), ex.LineNumber + 1, ex.BytePositionInLine + 1);
            return null;
        }
        if (parsed is not JsonArray items)
        {
            errors.Add(input.Name, "{0} must be a JSON array of items.", errors.Label(input));
            return null;
        }
        for (var i = 0; i < items.Count; i++)
        {
            var type = items[i]?["ContentType"] is JsonValue t && t.TryGetValue<string>(out var name) ? name : null;
            if (type is null || (input.Types.Count > 0 && !input.Types.Contains(type)))
            {
                errors.Add(input.Name, "{0}, item {1}: ContentType must be one of {2}.", errors.Label(input), i + 1, string.Join(", ", input.Types));
            }
            else if (items[i] is JsonObject item && item["ContentItemId"] is null)
            {
                item["ContentItemId"] = Embassy.Core.IdGenerator.NewId();
            }
        }
        return items;
    }

    private static (string Part, string Property) Split(string name)
    {
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return (name[..dot], name[(dot + 1)..]);
    }

    private static string Text(JsonNode? node) => FieldEditors.Text(node);
}
