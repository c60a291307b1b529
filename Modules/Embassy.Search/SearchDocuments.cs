using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Embassy.Content.Models;
using Lucene.Net.Documents;

namespace Embassy.Search;

/// <summary>
/// What of an item is searched (title over summary over body: see AddTexts): its title; its summary — the fields its type's settings name in
/// <c>"SearchSettings": { "Summary": [ "News.Summary" ], "Body": [ "Faq.Answer" ] }</c>; and its body — HtmlBodyPart and
/// MarkdownBodyPart, and the fields named in Body. HTML and markdown are reduced to their words. A type whose settings say
/// <c>"Enabled": false</c> is not searched.
/// </summary>
public static partial class SearchDocuments
{
    public const string Id = "id";
    /// <summary>What a document is kept under: "p:{id}" for an item's published version (the API's search), "l:{id}" for
    /// its latest version, draft or not (the CMI's search; on the master only).</summary>
    public const string Key = "key";
    public const string Kind = "kind";
    public const string PublishedKind = "p";
    public const string LatestKind = "l";
    public const string Type = "type";
    public const string Culture = "culture";
    /// <summary>The cultures the item's translation set is published in (for the lists' culture fallback).</summary>
    public const string SetCultures = "has";
    public const string Title = "title";
    public const string Text = "text";
    public const int MaxStoredText = 2000;

    public static bool Searchable(JsonObject typeSettings) =>
        typeSettings["SearchSettings"]?["Enabled"] is not JsonValue enabled || !enabled.TryGetValue<bool>(out var on) || on;

    public static (string Title, string Summary, string Body) Texts(ContentItem item, JsonObject typeSettings)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(typeSettings);
        var content = item.Content;
        var summary = string.Join("\n", Fields(typeSettings, "Summary").Select(f => Plain(FieldText(content, f))).Where(t => t.Length > 0));
        var body = new List<string>
        {
            Plain((string?)(content["HtmlBodyPart"]?["Html"] as JsonValue)),
            Plain((string?)(content["MarkdownBodyPart"]?["Markdown"] as JsonValue)),
        };
        body.AddRange(Fields(typeSettings, "Body").Select(f => Plain(FieldText(content, f))));
        return (item.DisplayText, summary, string.Join("\n", body.Where(t => t.Length > 0)));
    }

    /// <summary>The Lucene document of a published item. Per culture (and both for an item with none) its texts go into
    /// that culture's stemmed fields; every text also into the folded ones.</summary>
    public static Document Of(ContentItem item, JsonObject typeSettings, IReadOnlyCollection<string> setCultures, string kind = PublishedKind)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(setCultures);
        var (title, summary, body) = Texts(item, typeSettings);
        var document = new Document
        {
            new StringField(Key, kind + ":" + item.ContentItemId, Field.Store.NO),
            new StringField(Kind, kind, Field.Store.NO),
            new StringField(Id, item.ContentItemId, Field.Store.YES),
            new StringField(Type, item.ContentType, Field.Store.YES),
            new StringField(Culture, item.Culture ?? "", Field.Store.YES),
            new StoredField(Title, title),
            new StoredField(Text, Clip(summary.Length > 0 ? summary + "\n" + body : body, MaxStoredText)),
        };
        foreach (var culture in setCultures)
        {
            document.Add(new StringField(SetCultures, culture, Field.Store.NO));
        }
        foreach (var culture in item.Culture is { } c && SearchAnalyzers.Cultures.Contains(c) ? [c] : SearchAnalyzers.Cultures)
        {
            AddTexts(document, culture, title, summary, body);
        }
        AddTexts(document, SearchAnalyzers.Folded, title, summary, body);
        return document;
    }

    /// <summary>
    /// One field per analysis ("all.pl", "all.en", "all.f"): the title three times, the summary twice, the body once. One
    /// field, so a word weighs the same (its rarity is counted) wherever in the item it is; the repetitions make a word in
    /// the title count more than one in the summary, and that more than one in the body.
    /// </summary>
    private static void AddTexts(Document document, string suffix, string title, string summary, string body) =>
        document.Add(new TextField("all." + suffix, string.Join("\n", title, title, title, summary, summary, body), Field.Store.NO));

    private static IEnumerable<string> Fields(JsonObject typeSettings, string list) =>
        typeSettings["SearchSettings"]?[list] is JsonArray fields ? fields.Select(f => (f as JsonValue)?.ToString()).OfType<string>() : [];

    /// <summary>"Part.Field": its Text, Markdown, Html or Value as text.</summary>
    private static string? FieldText(JsonObject content, string path)
    {
        var dot = path.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || content[path[..dot]]?[path[(dot + 1)..]] is not JsonObject field)
        {
            return null;
        }
        var value = field["Text"] ?? field["Markdown"] ?? field["Html"] ?? field["Value"];
        return value is JsonValue v ? v.ToString() : null;
    }

    /// <summary>HTML or markdown as its words: tags and markup dropped, entities decoded, white space collapsed.</summary>
    public static string Plain(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }
        var plain = Embassy.Content.Services.ContentSafety.PlainText(text, html: text.Contains('<', StringComparison.Ordinal));
        return Space().Replace(plain, " ").Trim();
    }

    private static string Clip(string text, int length) => text.Length <= length ? text : text[..length];

    [GeneratedRegex(@"\s+")]
    private static partial Regex Space();
}
