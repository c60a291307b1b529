using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Embassy.Content.Services;

namespace Embassy.Content.Elements;

/// <summary>
/// Rich text as a tree the app renders natively (no WebView), derived from the sanitized HTML (a markdown field is
/// rendered to HTML and sanitized first). Blocks: <c>paragraph</c>, <c>heading</c> (level 2–4), <c>list</c>
/// (<c>ordered</c>, <c>items</c>: each a list of blocks), <c>quote</c>, <c>image</c> (<c>src</c>, <c>alt</c>) and
/// <c>embed</c> (<c>contentItemId</c>). Inlines: <c>text</c> (with <c>bold</c>, <c>italic</c>), <c>link</c>
/// (<c>href</c>, and <c>contentItemId</c> when it points at an item of this site) and <c>break</c>. Anything else is
/// reduced to its text. <see cref="Schema"/> is the JSON Schema of the result.
/// </summary>
public static partial class RichText
{
    private static readonly HtmlParser Parser = new();

    public const string SchemaName = "RichText";

    /// <summary>The blocks of a sanitized HTML fragment.</summary>
    public static void WriteHtml(Utf8JsonWriter writer, string sanitizedHtml)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(sanitizedHtml);
        if (ContentSafety.TooDeep(sanitizedHtml, html: true) is not null)
        {
            sanitizedHtml = ContentSafety.FlattenedHtml(sanitizedHtml); // stored before nesting was bounded: never parsed as it is
        }
        var document = Parser.ParseDocument("<body></body>");
        var body = document.Body!;
        var nodes = Parser.ParseFragment(sanitizedHtml, body);
        writer.WriteStartArray();
        WriteBlocks(writer, nodes);
        writer.WriteEndArray();
    }

    /// <summary>The blocks of markdown as the app would get it (raw HTML and unsafe links removed, then sanitized).</summary>
    public static void WriteMarkdown(Utf8JsonWriter writer, string markdown) =>
        WriteHtml(writer, ContentSafety.MarkdownToHtml(markdown));

    private static readonly HashSet<string> BlockTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "P", "H1", "H2", "H3", "H4", "H5", "H6", "UL", "OL", "BLOCKQUOTE", "IMG", "DIV", "SECTION", "ARTICLE", "FIGURE", "TABLE", "PRE", "HR",
    };

    private static void WriteBlocks(Utf8JsonWriter writer, IEnumerable<INode> nodes)
    {
        var inline = new List<INode>();
        void FlushParagraph()
        {
            if (inline.Any(n => n is IElement || !string.IsNullOrWhiteSpace(n.TextContent)))
            {
                writer.WriteStartObject();
                writer.WriteString("type", "paragraph");
                WriteChildren(writer, inline);
                writer.WriteEndObject();
            }
            inline.Clear();
        }
        foreach (var node in nodes)
        {
            if (node is IElement element && BlockTags.Contains(element.TagName))
            {
                FlushParagraph();
                WriteBlock(writer, element);
            }
            else if (node is IElement or IText)
            {
                inline.Add(node);
            }
        }
        FlushParagraph();
    }

    private static void WriteBlock(Utf8JsonWriter writer, IElement element)
    {
        switch (element.TagName.ToUpperInvariant())
        {
            case "P":
                WriteBlocks(writer, element.ChildNodes); // its text as a paragraph; a picture in it as an image block
                break;
            case "H1" or "H2" or "H3" or "H4" or "H5" or "H6":
                writer.WriteStartObject();
                writer.WriteString("type", "heading");
                // The item's title is its h1: headings in a body are 2 to 4.
                writer.WriteNumber("level", Math.Clamp(element.TagName[1] - '0', 2, 4));
                WriteChildren(writer, element.ChildNodes);
                writer.WriteEndObject();
                break;
            case "UL" or "OL":
                writer.WriteStartObject();
                writer.WriteString("type", "list");
                writer.WriteBoolean("ordered", element.TagName.Equals("OL", StringComparison.OrdinalIgnoreCase));
                writer.WriteStartArray("items");
                foreach (var item in element.Children.Where(c => c.TagName.Equals("LI", StringComparison.OrdinalIgnoreCase)))
                {
                    writer.WriteStartArray();
                    WriteBlocks(writer, item.ChildNodes);
                    writer.WriteEndArray();
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
                break;
            case "BLOCKQUOTE":
                writer.WriteStartObject();
                writer.WriteString("type", "quote");
                writer.WriteStartArray("blocks");
                WriteBlocks(writer, element.ChildNodes);
                writer.WriteEndArray();
                writer.WriteEndObject();
                break;
            case "IMG":
                WriteImage(writer, element);
                break;
            case "HR":
                break;
            default:
                // A container (div, section, figure, table, pre …): its content, as blocks.
                if (EmbeddedItem(element) is { } embedded)
                {
                    writer.WriteStartObject();
                    writer.WriteString("type", "embed");
                    writer.WriteString("contentItemId", embedded);
                    writer.WriteEndObject();
                }
                else
                {
                    WriteBlocks(writer, element.ChildNodes);
                }
                break;
        }
    }

    private static void WriteImage(Utf8JsonWriter writer, IElement image)
    {
        var src = image.GetAttribute("src");
        if (string.IsNullOrWhiteSpace(src))
        {
            return;
        }
        writer.WriteStartObject();
        writer.WriteString("type", "image");
        writer.WriteString("src", src);
        writer.WriteString("alt", image.GetAttribute("alt") ?? "");
        writer.WriteEndObject();
    }

    private static void WriteChildren(Utf8JsonWriter writer, IEnumerable<INode> nodes)
    {
        writer.WriteStartArray("children");
        foreach (var node in nodes)
        {
            WriteInline(writer, node, bold: false, italic: false);
        }
        writer.WriteEndArray();
    }

    private static void WriteInline(Utf8JsonWriter writer, INode node, bool bold, bool italic)
    {
        switch (node)
        {
            case IText text when text.Data.Length > 0:
                writer.WriteStartObject();
                writer.WriteString("type", "text");
                writer.WriteString("text", Whitespace().Replace(text.Data, " "));
                if (bold) writer.WriteBoolean("bold", true);
                if (italic) writer.WriteBoolean("italic", true);
                writer.WriteEndObject();
                break;
            case IElement element:
                switch (element.TagName.ToUpperInvariant())
                {
                    case "BR":
                        writer.WriteStartObject();
                        writer.WriteString("type", "break");
                        writer.WriteEndObject();
                        break;
                    case "A" when element.GetAttribute("href") is { Length: > 0 } href:
                        writer.WriteStartObject();
                        writer.WriteString("type", "link");
                        writer.WriteString("href", href);
                        if ((EmbeddedItem(element) ?? LinkedItem(href)) is { } id)
                        {
                            writer.WriteString("contentItemId", id);
                        }
                        writer.WriteStartArray("children");
                        foreach (var child in element.ChildNodes)
                        {
                            WriteInline(writer, child, bold, italic);
                        }
                        writer.WriteEndArray();
                        writer.WriteEndObject();
                        break;
                    case "IMG":
                        break; // an image inside a line: not an inline in this model (its alt text is not lost: see below)
                    default:
                        var isBold = bold || element.TagName is "STRONG" or "B" or "strong" or "b";
                        var isItalic = italic || element.TagName is "EM" or "I" or "em" or "i";
                        foreach (var child in element.ChildNodes)
                        {
                            WriteInline(writer, child, isBold, isItalic);
                        }
                        break;
                }
                break;
        }
    }

    /// <summary>The id of an item of this site a link points at: /api/v1/items/{id}, /items/{id}, or Orchard's
    /// ~/Contents/ContentItems/{id} (and /Contents/ContentItems/{id}); null for any other link.</summary>
    public static string? LinkedItem(string href)
    {
        ArgumentNullException.ThrowIfNull(href);
        var match = InternalLink().Match(href);
        return match.Success ? match.Groups["id"].Value : null;
    }

    /// <summary>The site paths (as stored in AutoroutePart.Path: no leading slash) that links of this HTML point at: hrefs
    /// "/news/x" or "~/news/x", without query or fragment; not the API's, media or CMI paths.</summary>
    public static IReadOnlyList<string> LinkedPaths(string sanitizedHtml)
    {
        ArgumentNullException.ThrowIfNull(sanitizedHtml);
        if (!sanitizedHtml.Contains("href=\"/", StringComparison.Ordinal) && !sanitizedHtml.Contains("href=\"~/", StringComparison.Ordinal))
        {
            return [];
        }
        return Anchors(sanitizedHtml).Select(a => SitePath(a.GetAttribute("href"))).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The HTML with each link to a site path of <paramref name="items"/> (path → content item id) marked with the item's
    /// id (<c>data-content-item-id</c>), so the app can deep-link it by id, which outlives the path. A link to a path no
    /// item has now keeps the mark it had; a link that no longer goes to a site path loses it. Unchanged (the same string) when nothing is marked.
    /// </summary>
    public static string MarkLinkedItems(string sanitizedHtml, IReadOnlyDictionary<string, string> items)
    {
        ArgumentNullException.ThrowIfNull(sanitizedHtml);
        ArgumentNullException.ThrowIfNull(items);
        var body = Parser.ParseDocument("<body></body>").Body!;
        body.InnerHtml = sanitizedHtml;
        var changed = false;
        foreach (var anchor in body.QuerySelectorAll("a"))
        {
            var mark = anchor.GetAttribute("data-content-item-id");
            if (SitePath(anchor.GetAttribute("href")) is { } path)
            {
                // A path no item has now keeps its mark: the item it named may have moved.
                if (items.TryGetValue(path, out var id) && mark != id)
                {
                    anchor.SetAttribute("data-content-item-id", id);
                    changed = true;
                }
            }
            else if (mark is not null)
            {
                // Now a link elsewhere (or to /items/{id}, which names its item itself): the mark no longer holds.
                anchor.RemoveAttribute("data-content-item-id");
                changed = true;
            }
        }
        return changed ? body.InnerHtml : sanitizedHtml;
    }

    private static IEnumerable<IElement> Anchors(string html)
    {
        var body = Parser.ParseDocument("<body></body>").Body!;
        body.InnerHtml = html;
        return body.QuerySelectorAll("a[href]");
    }

    private static string? SitePath(string? href)
    {
        if (href is null || LinkedItem(href) is not null)
        {
            return null;
        }
        var match = SiteLink().Match(href);
        return match.Success ? Uri.UnescapeDataString(match.Groups["path"].Value).TrimEnd('/') : null;
    }

    // "/x/y" or "~/x/y" (not "//host"), not into /api, /media, /admin, /health; the path stops at ? or #.
    [GeneratedRegex(@"^~?/(?!/|api/|media/|admin/|health/|api$|media$|admin$)(?<path>[^?#]{1,512})(?:[?#].*)?$")]
    private static partial Regex SiteLink();

    private static string? EmbeddedItem(IElement element) =>
        element.GetAttribute("data-content-item-id") is { Length: > 0 and <= 64 } id && Id().IsMatch(id) ? id : null;

    [GeneratedRegex(@"^(?:~|/api/v1)?/(?:items|Contents/ContentItems)/(?<id>[A-Za-z0-9_-]{1,64})/?(?:[?#].*)?$")]
    private static partial Regex InternalLink();

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex Id();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    /// <summary>The JSON Schema (draft 2020-12) of what <see cref="WriteHtml"/> writes: an array of blocks.</summary>
    public static JsonObject Schema(string definitionsPrefix = "#/$defs/")
    {
        JsonObject Ref(string name) => new() { ["$ref"] = definitionsPrefix + name };
        JsonObject Const(string value) => new() { ["const"] = value };
        JsonObject Text() => new() { ["type"] = "string" };
        JsonObject Obj(string type, JsonArray required, params (string Name, JsonNode Schema)[] properties)
        {
            var props = new JsonObject { ["type"] = Const(type) };
            foreach (var (name, schema) in properties)
            {
                props[name] = schema;
            }
            return new JsonObject { ["type"] = "object", ["required"] = required, ["properties"] = props, ["additionalProperties"] = false };
        }
        JsonObject Array(JsonObject items) => new() { ["type"] = "array", ["items"] = items };
        return new JsonObject
        {
            ["RichText"] = new JsonObject
            {
                ["type"] = "array", ["items"] = Ref("RichTextBlock"),
                ["description"] = "Rich text as blocks (`?richText=blocks`): derived from the sanitized HTML, for native rendering.",
            },
            ["RichTextBlock"] = new JsonObject
            {
                ["oneOf"] = new JsonArray(
                    Obj("paragraph", ["type", "children"], ("children", Array(Ref("RichTextInline")))),
                    Obj("heading", ["type", "level", "children"], ("level", new JsonObject { ["type"] = "integer", ["minimum"] = 2, ["maximum"] = 4 }),
                        ("children", Array(Ref("RichTextInline")))),
                    Obj("list", ["type", "ordered", "items"], ("ordered", new JsonObject { ["type"] = "boolean" }), ("items", Array(Array(Ref("RichTextBlock"))))),
                    Obj("quote", ["type", "blocks"], ("blocks", Array(Ref("RichTextBlock")))),
                    Obj("image", ["type", "src", "alt"], ("src", Text()), ("alt", Text())),
                    Obj("embed", ["type", "contentItemId"], ("contentItemId", Text()))),
            },
            ["RichTextInline"] = new JsonObject
            {
                ["oneOf"] = new JsonArray(
                    Obj("text", ["type", "text"], ("text", Text()), ("bold", new JsonObject { ["type"] = "boolean" }), ("italic", new JsonObject { ["type"] = "boolean" })),
                    Obj("link", ["type", "href", "children"], ("href", Text()), ("contentItemId", Text()), ("children", Array(Ref("RichTextInline")))),
                    Obj("break", ["type"])),
            },
        };
    }
}
