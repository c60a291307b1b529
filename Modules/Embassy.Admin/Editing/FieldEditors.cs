using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Embassy.Content.Models;
using Microsoft.AspNetCore.Http;

namespace Embassy.Admin.Editing;

/// <summary>
/// The CMI's editor of one kind of field (named as in Embassy.Content's ContentElements): which input it shows, the
/// form's value of a stored field, and the stored field it makes of a posted form. The content core still checks and
/// cleans what it makes (shape, HTML policy, link schemes): an editor is a convenience, not a control.
/// </summary>
public interface IFieldEditor
{
    /// <summary>Orchard's name of the field kind: "TextField".</summary>
    string FieldName { get; }

    /// <summary>How Edit.cshtml draws the input: "text", "select", "html", "markdown", "number", "checkbox", "date",
    /// "datetime", "time", "link", "media", "items".</summary>
    string Renderer(IReadOnlyList<(string Value, string Text)> options);

    /// <summary>A hint added to the field's own description, if any.</summary>
    string? Hint => null;

    /// <summary>The form's value of a stored field (null when the item has none).</summary>
    string Read(EditorInput input, JsonNode? stored);

    /// <summary>Further form values (named after the input) that the editor shows, e.g. a media file's alternative text.</summary>
    IEnumerable<KeyValuePair<string, string>> Extras(string inputName, JsonNode? stored) => [];

    /// <summary>The stored field made of the posted form, or null when the form's value is wrong (the reason is in <paramref name="errors"/>).</summary>
    JsonNode? Bind(EditorInput input, IFormCollection form, JsonNode? stored, EditorErrors errors);
}

/// <summary>
/// The CMI's editor of a part's own properties (title, body, alias, path, schedules, language, bag): the inputs it shows.
/// The form binds them by their renderer (text, HTML, markdown, schedule, bag), not by the part's name.
/// </summary>
public interface IPartEditor
{
    string PartName { get; }

    IEnumerable<EditorInput> Inputs(TypePartDefinition part);
}

internal sealed class PartEditor(string partName, Func<TypePartDefinition, IEnumerable<EditorInput>> inputs) : IPartEditor
{
    public string PartName => partName;

    public IEnumerable<EditorInput> Inputs(TypePartDefinition part) => inputs(part);
}

/// <summary>The CMI's editors by part and field kind (named as in ContentElements); a module adds an editor for a new
/// kind by registering one more IFieldEditor or IPartEditor.</summary>
public sealed class FieldEditors(IEnumerable<IFieldEditor> editors, IEnumerable<IPartEditor> parts)
{
    private readonly Dictionary<string, IFieldEditor> _byField = editors.ToDictionary(e => e.FieldName, StringComparer.Ordinal);
    private readonly Dictionary<string, IPartEditor> _byPart = parts.ToDictionary(e => e.PartName, StringComparer.Ordinal);

    public static IReadOnlyList<IPartEditor> DefaultParts { get; } =
    [
        new PartEditor("TitlePart", _ => [new("TitlePart.Title", "Title", "text", null, [])]),
        new PartEditor("HtmlBodyPart", p => [new($"{p.Name}.Html", "Body", "html", "HTML; scripts and unsafe markup are removed on saving.", [])]),
        new PartEditor("MarkdownBodyPart", p => [new($"{p.Name}.Markdown", "Body", "markdown", "Markdown.", [])]),
        new PartEditor("AliasPart", p => [new($"{p.Name}.Alias", "Alias", "text", "A stable name the app can ask for.", [])]),
        new PartEditor("AutoroutePart", p => [new($"{p.Name}.Path", "Path", "text", "e.g. news/visa-waiver-program", [])]),
        new PartEditor("PublishLaterPart", p => [new($"{p.Name}.ScheduledPublishUtc", "Publish at", "schedule", "Leave empty to publish by hand; the draft is published then.", [])]),
        new PartEditor("ArchiveLaterPart", p => [new($"{p.Name}.ScheduledArchiveUtc", "Unpublish at", "schedule", "The item leaves the app then (its history is kept). Saving a draft is enough: the published version is taken down at this time.", [])]),
        new PartEditor("LocalizationPart", p => [new($"{p.Name}.Culture", "Language", "select", null, [("pl", "Polski"), ("en", "English")])]),
        new PartEditor("BagPart", p =>
        {
            var contained = (p.Settings["BagPartSettings"]?["ContainedContentTypes"] as JsonArray ?? []).Select(t => (string?)t ?? "").ToList();
            return [new($"{p.Name}.ContentItems", (string?)p.Settings["ContentTypePartSettings"]?["DisplayName"] ?? p.Name, "bag",
                $"The items of this bag as a JSON array (types: {string.Join(", ", contained)}). Each is checked against its type on saving.", []) { Types = contained }];
        }),
    ];

    public IPartEditor? ForPart(string partName) => _byPart.GetValueOrDefault(partName);

    public static IReadOnlyList<IFieldEditor> Default { get; } =
    [
        new TextFieldEditor(), new ValueEditor("HtmlField", "html", "Html"), new ValueEditor("MarkdownField", "markdown", "Markdown"),
        new NumericFieldEditor(), new BooleanFieldEditor(), new DateEditor("DateField", "date"), new DateEditor("DateTimeField", "datetime"),
        new DateEditor("TimeField", "time"), new LinkFieldEditor(), new MediaFieldEditor(), new ContentPickerFieldEditor(),
    ];

    public IFieldEditor? For(string fieldName) => _byField.GetValueOrDefault(fieldName);

    internal static string Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    internal static JsonArray List(string value) =>
        new(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => (JsonNode?)v).ToArray());

    /// <summary>"{label} {problem}.": <paramref name="problem"/> is a text to translate, {0} … filled in with <paramref name="arguments"/>.</summary>
    internal static JsonNode? Error(EditorErrors errors, EditorInput input, string problem, params object?[] arguments)
    {
        errors.Add(input.Name, "{0} {1}.", errors.Label(input), errors.Say(problem, arguments));
        return null;
    }
}

/// <summary>A field whose value is one string property (HtmlField's Html, MarkdownField's Markdown).</summary>
internal class ValueEditor(string fieldName, string renderer, string property) : IFieldEditor
{
    public string FieldName => fieldName;

    public virtual string Renderer(IReadOnlyList<(string Value, string Text)> options) => renderer;

    public string Read(EditorInput input, JsonNode? stored) => FieldEditors.Text(stored?[property]);

    public virtual JsonNode? Bind(EditorInput input, IFormCollection form, JsonNode? stored, EditorErrors errors) =>
        new JsonObject { [property] = form[input.Name].ToString() };
}

internal sealed class TextFieldEditor() : ValueEditor("TextField", "text", "Text")
{
    public override string Renderer(IReadOnlyList<(string Value, string Text)> options) => options.Count > 0 ? "select" : "text";
}

internal sealed class NumericFieldEditor : IFieldEditor
{
    public string FieldName => "NumericField";

    public string Renderer(IReadOnlyList<(string Value, string Text)> options) => "number";

    public string Read(EditorInput input, JsonNode? stored) => stored?["Value"] is JsonValue number && number.GetValueKind() == JsonValueKind.Number ? number.ToJsonString() : "";

    public JsonNode? Bind(EditorInput input, IFormCollection form, JsonNode? stored, EditorErrors errors)
    {
        var value = form[input.Name].ToString();
        return value.Length == 0 ? new JsonObject { ["Value"] = null }
            : double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? new JsonObject { ["Value"] = number }
            : FieldEditors.Error(errors, input, "is not a number");
    }
}

internal sealed class BooleanFieldEditor : IFieldEditor
{
    public string FieldName => "BooleanField";

    public string Renderer(IReadOnlyList<(string Value, string Text)> options) => "checkbox";

    public string Read(EditorInput input, JsonNode? stored) => (stored?["Value"] as JsonValue)?.GetValueKind() == JsonValueKind.True ? "true" : "";

    public JsonNode? Bind(EditorInput input, IFormCollection form, JsonNode? stored, EditorErrors errors) =>
        new JsonObject { ["Value"] = form[input.Name].ToString() is "true" or "on" };
}

/// <summary>DateField (a day), DateTimeField (the editor's wall-clock time in the site's zone, stored UTC) and TimeField,
/// as text in one format (yyyy-MM-dd, yyyy-MM-dd HH:mm, HH:mm) whatever the browser's language.</summary>
internal sealed class DateEditor(string fieldName, string renderer) : IFieldEditor
{
    public string FieldName => fieldName;

    public string Renderer(IReadOnlyList<(string Value, string Text)> options) => renderer;

    public string Read(EditorInput input, JsonNode? stored)
    {
        var text = FieldEditors.Text(stored?["Value"]);
        if (renderer == "datetime")
        {
            return DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var utc)
                ? (input.Time ?? SiteTime.Default).Show(utc) : "";
        }
        var length = renderer == "date" ? 10 : 5;
        return text.Length >= length ? text[..length] : "";
    }

    public JsonNode? Bind(EditorInput input, IFormCollection form, JsonNode? stored, EditorErrors errors)
    {
        var value = form[input.Name].ToString().Trim();
        if (value.Length == 0)
        {
            return new JsonObject { ["Value"] = null };
        }
        if (renderer == "datetime")
        {
            var utc = (input.Time ?? SiteTime.Default).ToUtc(value, out var error);
            return utc is { } when ? new JsonObject { ["Value"] = when.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) } : FieldEditors.Error(errors, input, error!, (input.Time ?? SiteTime.Default).Name);
        }
        string? parsed = renderer switch
        {
            "date" when DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) => $"{date:yyyy-MM-dd}T00:00:00Z",
            "time" when TimeOnly.TryParseExact(value, ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) => time.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
            _ => null,
        };
        if (parsed is not null)
        {
            return new JsonObject { ["Value"] = parsed };
        }
        return renderer == "date" ? FieldEditors.Error(errors, input, "is not a date as YYYY-MM-DD") : FieldEditors.Error(errors, input, "is not a time as HH:MM");
    }
}

/// <summary>LinkField: a URL input and a text input (the link's words), the URL parsed as the app will open it.</summary>
internal sealed class LinkFieldEditor : IFieldEditor
{
    public const string UrlInput = ".Url";
    public const string TextInput = ".Text";

    public string FieldName => "LinkField";

    public string Renderer(IReadOnlyList<(string Value, string Text)> options) => "link";

    public string Read(EditorInput input, JsonNode? stored) => FieldEditors.Text(stored?["Url"]);

    public IEnumerable<KeyValuePair<string, string>> Extras(string inputName, JsonNode? stored) =>
        [new(inputName + UrlInput, FieldEditors.Text(stored?["Url"])), new(inputName + TextInput, FieldEditors.Text(stored?["Text"]))];

    public JsonNode? Bind(EditorInput input, IFormCollection form, JsonNode? stored, EditorErrors errors)
    {
        var url = (form.TryGetValue(input.Name + UrlInput, out var u) ? u.ToString() : form[input.Name].ToString()).Trim();
        var text = (form.TryGetValue(input.Name + TextInput, out var t) ? t.ToString() : "").Trim();
        if (url.Length > 0 && (url.Any(char.IsWhiteSpace) ||
            !(url.StartsWith('/') ? Uri.TryCreate(url, UriKind.Relative, out _)
                : Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme is "https" or "http" or "mailto" or "tel" &&
                  (absolute.Scheme is "mailto" or "tel" || absolute.Host.Length > 0))))
        {
            errors.Add(input.Name, "{0}: '{1}' is not a link the app can open: https://…, a path on this site (/…), mailto: or tel:, without spaces.", errors.Label(input), url);
            return null;
        }
        if (url.Length == 0 && text.Length > 0)
        {
            errors.Add(input.Name, "{0}: the link has words but no address.", errors.Label(input));
            return null;
        }
        return new JsonObject { ["Url"] = url.Length > 0 ? url : null, ["Text"] = text.Length > 0 ? text : null };
    }
}

internal sealed class ContentPickerFieldEditor : IFieldEditor
{
    public string FieldName => "ContentPickerField";

    public string Renderer(IReadOnlyList<(string Value, string Text)> options) => "items";

    public string Read(EditorInput input, JsonNode? stored) => string.Join(",", (stored?["ContentItemIds"] as JsonArray ?? []).Select(FieldEditors.Text));

    public JsonNode? Bind(EditorInput input, IFormCollection form, JsonNode? stored, EditorErrors errors) =>
        new JsonObject { ["ContentItemIds"] = FieldEditors.List(string.Join(",", form[input.Name].Where(v => v is not null))) };
}

/// <summary>
/// MediaField: the files picked, and for each its alternative text (Orchard's MediaTexts: each translation of an item
/// has its own) and focal point (Orchard's Anchors: "x,y" from 0 to 1). A file kept keeps what it had unless changed.
/// </summary>
internal sealed class MediaFieldEditor : IFieldEditor
{
    public const string TextInput = ".Text:";
    public const string AnchorInput = ".Anchor:";
    public const string DecorativeInput = ".Decorative:";

    public string FieldName => "MediaField";

    public string Renderer(IReadOnlyList<(string Value, string Text)> options) => "media";

    public string Read(EditorInput input, JsonNode? stored) => string.Join(",", Paths(stored));

    public IEnumerable<KeyValuePair<string, string>> Extras(string inputName, JsonNode? stored)
    {
        var paths = Paths(stored);
        for (var i = 0; i < paths.Count; i++)
        {
            yield return new(inputName + TextInput + paths[i], FieldEditors.Text(stored?["MediaTexts"]?[i]));
            var anchor = stored?["Anchors"]?[i];
            yield return new(inputName + AnchorInput + paths[i], anchor is JsonObject a
                ? string.Create(CultureInfo.InvariantCulture, $"{Axis(a["X"])},{Axis(a["Y"])}") : "");
            yield return new(inputName + DecorativeInput + paths[i], IsDecorative(stored, i) ? "true" : "");
        }
    }

    public JsonNode? Bind(EditorInput input, IFormCollection form, JsonNode? stored, EditorErrors errors)
    {
        var before = Paths(stored);
        var paths = FieldEditors.List(string.Join(",", form[input.Name].Where(v => v is not null))).Select(FieldEditors.Text).ToList();
        var texts = new JsonArray();
        var anchors = new JsonArray();
        var decorative = new JsonArray();
        var anyAnchor = false;
        // The form says for each picture whether it is decorative (a checkbox, posted with a hidden marker); a form
        // without the marker (an older page, a script) keeps what was stored.
        var formHasDecorative = form.ContainsKey(input.Name + DecorativeInput);
        foreach (var path in paths)
        {
            var previous = before.IndexOf(path);
            var text = form.TryGetValue(input.Name + TextInput + path, out var posted) ? posted.ToString().Trim()
                : previous >= 0 ? FieldEditors.Text(stored?["MediaTexts"]?[previous]) : "";
            texts.Add(text);
            JsonNode? anchor = previous >= 0 ? stored?["Anchors"]?[previous]?.DeepClone() : null;
            if (form.TryGetValue(input.Name + AnchorInput + path, out var point) && point.ToString().Trim() is { Length: > 0 } xy)
            {
                var axes = xy.Split(',', StringSplitOptions.TrimEntries);
                if (axes.Length != 2 || !double.TryParse(axes[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var x) ||
                    !double.TryParse(axes[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var y) || x is < 0 or > 1 || y is < 0 or > 1)
                {
                    return FieldEditors.Error(errors, input, "focal point of {0} must be two numbers from 0 to 1, as x,y (0.5,0.5 is the centre)", path);
                }
                anchor = new JsonObject { ["X"] = x, ["Y"] = y };
            }
            anyAnchor |= anchor is not null;
            anchors.Add(anchor ?? new JsonObject { ["X"] = 0.5, ["Y"] = 0.5 });
            decorative.Add(formHasDecorative ? form[input.Name + DecorativeInput + path].Contains("true") : previous >= 0 && IsDecorative(stored, previous));
        }
        var field = new JsonObject { ["Paths"] = new JsonArray([.. paths.Select(p => (JsonNode?)p)]), ["MediaTexts"] = texts };
        if (anyAnchor)
        {
            field["Anchors"] = anchors;
        }
        if (decorative.Any(d => d!.GetValue<bool>()))
        {
            field["Decorative"] = decorative;
        }
        return field;
    }

    private static bool IsDecorative(JsonNode? stored, int index) =>
        stored?["Decorative"]?[index] is JsonValue v && v.TryGetValue<bool>(out var d) && d;

    private static List<string> Paths(JsonNode? stored) => (stored?["Paths"] as JsonArray ?? []).Select(FieldEditors.Text).ToList();

    private static string Axis(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<double>(out var d) ? d.ToString("0.###", CultureInfo.InvariantCulture) : "0.5";
}
