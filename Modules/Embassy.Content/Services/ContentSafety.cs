using System.Text;
using System.Text.Json.Nodes;
using Ganss.Xss;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Embassy.Content.Services;

/// <summary>
/// One policy for what content may carry to the app and the CMI, applied by the content core on every write
/// (forms, recipes, bags, restore, any API): HTML goes through one sanitizer; link fields and markdown links
/// through one scheme allow-list (http, https, mailto, tel, and relative links). Markdown is stored as
/// written, and <see cref="SafeMarkdown"/> removes raw HTML and unsafe links from what is served.
/// </summary>
public static partial class ContentSafety
{
    /// <summary>Schemes a link may use; anything else (javascript:, data:, vbscript:, file:) is refused.</summary>
    public static IReadOnlyList<string> AllowedSchemes { get; } = ["http", "https", "mailto", "tel"];

    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePreciseSourceLocation().Build();

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        // An embedded content item (<div data-content-item-id="…"></div>): the app shows the item there (RichText's
        // "embed" block). The one data attribute kept; its value is only ever read as an id.
        sanitizer.AllowedAttributes.Add("data-content-item-id");
        sanitizer.AllowedSchemes.Clear();
        foreach (var scheme in AllowedSchemes)
        {
            sanitizer.AllowedSchemes.Add(scheme);
        }
        return sanitizer;
    }

    public static string SanitizeHtml(string html) => Sanitizer.Sanitize(html);

    /// <summary>How deep markdown (quotes, lists, brackets) and HTML (elements) may nest. A page needs a handful of
    /// levels; the parsers and the sanitizer need stack and time for each (issue #31: 1 MB of nested "&gt;" was a 500).</summary>
    public const int MaxNesting = 32;

    private static readonly HashSet<string> VoidElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
    };

    /// <summary>HTML or markdown as its words (search, push texts): tags and markup dropped, entities decoded. Text nested
    /// deeper than <see cref="MaxNesting"/> is never parsed: its tags are dropped as characters.</summary>
    public static string PlainText(string text, bool html)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (TooDeep(text, html) is not null)
        {
            var flat = FlattenedHtml(text);
            return System.Net.WebUtility.HtmlDecode(flat[3..^4]);
        }
        return html
            ? new AngleSharp.Html.Parser.HtmlParser().ParseDocument("<body>" + BlockEnds().Replace(text, " $0") + "</body>").Body?.TextContent ?? ""
            : Markdown.ToPlainText(text);
    }

    [System.Text.RegularExpressions.GeneratedRegex("<(br|/p|/h[1-6]|/li|/div)[^>]*>", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex BlockEnds();

    /// <summary>HTML nested too deeply to parse (stored before the bound) as one paragraph of its text, tags dropped.</summary>
    public static string FlattenedHtml(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var text = new StringBuilder(html.Length);
        var inTag = false;
        foreach (var c in html)
        {
            if (c == '<')
            {
                inTag = true;
            }
            else if (c == '>' && inTag)
            {
                inTag = false;
            }
            else if (!inTag)
            {
                text.Append(c);
            }
        }
        return "<p>" + System.Net.WebUtility.HtmlEncode(System.Net.WebUtility.HtmlDecode(text.ToString())) + "</p>";
    }

    /// <summary>Why <paramref name="text"/> nests deeper than <see cref="MaxNesting"/> ("nested 40 levels deep on line 3
    /// …"), or null. One pass, linear in the text: it runs before any parser does.</summary>
    public static string? TooDeep(string text, bool html)
    {
        ArgumentNullException.ThrowIfNull(text);
        var line = 1;
        var depth = 0;
        var deepest = (Depth: 0, Line: 0);
        var atLineStart = true;
        var lineDepth = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n')
            {
                line++;
                atLineStart = true;
                lineDepth = 0;
                continue;
            }
            if (html)
            {
                if (c != '<' || i + 1 >= text.Length)
                {
                    continue;
                }
                if (text[i + 1] == '/')
                {
                    depth = Math.Max(0, depth - 1);
                }
                else if (char.IsAsciiLetter(text[i + 1]))
                {
                    var end = i + 1;
                    while (end < text.Length && char.IsAsciiLetterOrDigit(text[end]))
                    {
                        end++;
                    }
                    var close = text.IndexOf('>', end);
                    var selfClosing = close > 0 && text[close - 1] == '/';
                    if (!selfClosing && !VoidElements.Contains(text[(i + 1)..end]))
                    {
                        depth++;
                    }
                }
            }
            else if (atLineStart)
            {
                // Block nesting: the quote markers and list markers that open the line.
                if (c is ' ' or '\t')
                {
                    continue;
                }
                if (c == '>' || (c is '-' or '*' or '+' && i + 1 < text.Length && text[i + 1] is ' ' or '\t'))
                {
                    lineDepth++;
                    if (lineDepth > deepest.Depth)
                    {
                        deepest = (lineDepth, line);
                    }
                    continue;
                }
                atLineStart = false;
            }
            if (!html)
            {
                // Inline nesting: brackets and parentheses of links and images.
                if (c is '[' or '(')
                {
                    depth++;
                }
                else if (c is ']' or ')')
                {
                    depth = Math.Max(0, depth - 1);
                }
            }
            if (depth > deepest.Depth)
            {
                deepest = (depth, line);
            }
        }
        return deepest.Depth > MaxNesting
            ? $"nested {deepest.Depth} levels deep on line {deepest.Line} (at most {MaxNesting}: quotes, lists, links or elements inside one another)"
            : null;
    }

    /// <summary>An absolute link with an allowed scheme, or a relative one (/path, path, #anchor, ?query).</summary>
    public static bool IsSafeLink(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return true;
        }
        var trimmed = url.Trim();
        // Browsers ignore control characters and whitespace inside a scheme ("java\tscript:"): judge the URL without them.
        var compact = new string(trimmed.Where(c => !char.IsControl(c) && !char.IsWhiteSpace(c)).ToArray());
        var colon = compact.IndexOf(':', StringComparison.Ordinal);
        var firstDelimiter = compact.IndexOfAny(['/', '?', '#']);
        if (colon < 0 || (firstDelimiter >= 0 && firstDelimiter < colon))
        {
            return !compact.StartsWith("//", StringComparison.Ordinal) || Uri.TryCreate("https:" + compact, UriKind.Absolute, out _);
        }
        var scheme = compact[..colon].ToLowerInvariant();
        return AllowedSchemes.Contains(scheme) && Uri.TryCreate(trimmed, UriKind.Absolute, out _);
    }

    /// <summary>Markdown as the app's rich text and the CMI's preview both show it: raw HTML and unsafe links removed
    /// (<see cref="SafeMarkdown"/>), rendered, then sanitized by the one HTML policy.
    /// Markdown nested deeper than <see cref="MaxNesting"/> (refused on every write since #31, but it may be stored from
    /// before) is shown as its text, escaped, never parsed.</summary>
    public static string MarkdownToHtml(string markdown) =>
        TooDeep(markdown, html: false) is null
            ? SanitizeHtml(Markdown.ToHtml(SafeMarkdown(markdown)))
            : "<p>" + System.Net.WebUtility.HtmlEncode(markdown) + "</p>";

    /// <summary>
    /// Markdown as the app receives it: the text as written, less raw HTML (blocks and inline tags) and with the
    /// destination of any link or image whose scheme is not allowed replaced by "#". The app renders it as markdown.
    /// </summary>
    public static string SafeMarkdown(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        if (markdown.IndexOfAny(['<', ':']) < 0)
        {
            return markdown; // no tag, no scheme: nothing to remove
        }
        if (TooDeep(markdown, html: false) is not null)
        {
            // Stored before nesting was bounded: served without anything that could be markup (never parsed).
            return markdown.Replace("<", "&lt;", StringComparison.Ordinal);
        }
        var document = Markdown.Parse(markdown, Pipeline);
        var edits = new List<(int Start, int End, string Replacement)>();
        foreach (var node in document.Descendants())
        {
            switch (node)
            {
                case HtmlBlock block:
                    edits.Add((block.Span.Start, block.Span.End, ""));
                    break;
                case HtmlInline inline:
                    edits.Add((inline.Span.Start, inline.Span.End, ""));
                    break;
                case AutolinkInline autolink when !autolink.IsEmail && !IsSafeLink(autolink.Url):
                    edits.Add((autolink.Span.Start, autolink.Span.End, ""));
                    break;
                case LinkInline link when !IsSafeLink(link.Url) && !link.UrlSpan.IsEmpty:
                    edits.Add((link.UrlSpan.Start, link.UrlSpan.End, "#"));
                    break;
                case LinkReferenceDefinition reference when !IsSafeLink(reference.Url) && !reference.UrlSpan.IsEmpty:
                    edits.Add((reference.UrlSpan.Start, reference.UrlSpan.End, "#"));
                    break;
            }
        }
        if (edits.Count == 0)
        {
            return markdown;
        }
        var result = new StringBuilder(markdown.Length);
        var position = 0;
        foreach (var (start, end, replacement) in edits.Where(e => e.Start >= 0 && e.End < markdown.Length).OrderBy(e => e.Start))
        {
            if (start < position)
            {
                continue; // inside an edit already made (an HTML block holds everything in it)
            }
            result.Append(markdown, position, start - position).Append(replacement);
            position = end + 1;
        }
        return result.Append(markdown, position, markdown.Length - position).ToString();
    }
}
