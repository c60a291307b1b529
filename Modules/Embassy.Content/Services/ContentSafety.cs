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
public static class ContentSafety
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
    /// (<see cref="SafeMarkdown"/>), rendered, then sanitized by the one HTML policy.</summary>
    public static string MarkdownToHtml(string markdown) => SanitizeHtml(Markdown.ToHtml(SafeMarkdown(markdown)));

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
