using System.Globalization;
using System.Text;

namespace Embassy.Admin.Localization;

/// <summary>
/// The CMI's words in the editor's language: English as written in the code, other languages from gettext PO files
/// embedded in this module (Localization/pl.po), as Orchard Core keeps its translations. The language is the request's
/// UI culture: the editor's choice (a cookie set from the header), else the browser's Accept-Language.
/// A text with no translation is shown in English, never blank.
/// </summary>
public sealed class CmiText
{
    public static readonly string[] Languages = ["en", "pl"];

    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _translations = new(StringComparer.Ordinal);

    public CmiText()
    {
        foreach (var language in Languages.Skip(1))
        {
            using var stream = typeof(CmiText).Assembly.GetManifestResourceStream($"Embassy.Admin.Localization.{language}.po")
                ?? throw new InvalidOperationException($"Localization/{language}.po is not embedded");
            using var reader = new StreamReader(stream, Encoding.UTF8);
            _translations[language] = ParsePo(reader.ReadToEnd());
        }
    }

    /// <summary>The language the CMI speaks on this request ("en", "pl").</summary>
    public static string Language => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName is var l && Languages.Contains(l) ? l : "en";

    /// <summary><paramref name="text"/> in the request's language.</summary>
    public string this[string text] =>
        _translations.TryGetValue(Language, out var words) && words.TryGetValue(text, out var translated) && translated.Length > 0 ? translated : text;

    /// <summary><paramref name="text"/> in the request's language, with {0}, {1} … filled in.</summary>
    public string this[string text, params object?[] arguments] =>
        arguments.Length == 0 ? this[text] : string.Format(CultureInfo.InvariantCulture, this[text], arguments);

    /// <summary>
    /// The content core's messages an editor meets (it speaks English to every caller: API, recipes, the CMI): each
    /// pattern names the parts that are data, and its text is translated like any other, with them filled in.
    /// </summary>
    public static readonly IReadOnlyList<(System.Text.RegularExpressions.Regex Pattern, string Text)> CoreMessages =
    [
        (new(@"^(?<f>[\w.]+)\.MediaTexts: '(?<p>.*)' needs an alternative text \(or to be marked decorative\) before the item is published$"),
            "{0}: '{1}' needs an alternative text (or to be marked decorative) before the item is published"),
        (new(@"^'(?<p>.*)' has no alternative text: people using a screen reader will not know what it shows$"),
            "'{0}' has no alternative text: people using a screen reader will not know what it shows"),
        (new(@"^(?<f>[\w.]+)\.Paths: '(?<p>.*)' is not a kind of file this field takes \((?<x>.*)\)$"),
            "{0}: '{1}' is not a kind of file this field takes ({2})"),
        (new(@"^Title: a title is required to publish$"), "Title: a title is required to publish"),
        // Webhook endpoints (Embassy.Notifications.Webhooks.WebhookEndpoints.Check).
        (new(@"^The URL must be an absolute https:// address \(at most 2000 characters\)\.$"), "The URL must be an absolute https:// address (at most 2000 characters)."),
        (new(@"^The URL must start with https:// or http://\.$"), "The URL must start with https:// or http://."),
        (new(@"^The URL must start with https:// \(plain http is off: Embassy:Webhooks:AllowHttp\)\.$"), "The URL must start with https:// (plain http is off: Embassy:Webhooks:AllowHttp)."),
        (new(@"^The URL may not hold a user name, password or #fragment\.$"), "The URL may not hold a user name, password or #fragment."),
        (new(@"^Choose at least one event\.$"), "Choose at least one event."),
        (new(@"^'(?<e>.*)' is not an event \(content\.published, content\.unpublished, content\.deleted\)\.$"), "'{0}' is not an event (content.published, content.unpublished, content.deleted)."),
        (new(@"^At most (?<n>\d+) content types\.$"), "At most {0} content types."),
        (new(@"^'(?<t>.*)' is not a content type name\.$"), "'{0}' is not a content type name."),
        (new(@"^The description is longer than 500 characters\.$"), "The description is longer than 500 characters."),
    ];

    /// <summary>A message of the content core in the request's language when it is one the CMI knows, else as it is.</summary>
    public string CoreMessage(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        foreach (var (pattern, text) in CoreMessages)
        {
            if (pattern.Match(message) is { Success: true } match)
            {
                return this[text, match.Groups.Cast<System.Text.RegularExpressions.Group>().Skip(1).Select(g => (object?)g.Value).ToArray()];
            }
        }
        return message;
    }

    /// <summary>A webhook delivery's or a push notification's status as an administrator reads it.</summary>
    public string DeliveryStatus(Embassy.Notifications.Data.DeliveryStatus status) => status switch
    {
        Embassy.Notifications.Data.DeliveryStatus.Pending => this["waiting"],
        Embassy.Notifications.Data.DeliveryStatus.Delivered => this["delivered"],
        _ => this["given up"],
    };

    /// <summary>A video's packaging status (pending, processing, ready, failed) as an editor reads it.</summary>
    public string VideoStatus(string status) => status switch
    {
        "pending" => this["waiting"],
        "processing" => this["processing"],
        "ready" => this["ready"],
        "failed" => this["failed"],
        _ => status,
    };

    /// <summary>The words the CMI's scripts show, in the request's language, as JSON for the layout (scripts read it
    /// with <c>say('…')</c>; a word missing here is shown in English).</summary>
    public string ScriptWords() => _scriptWords.GetOrAdd(Language, _ => BuildScriptWords());

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _scriptWords = new(StringComparer.Ordinal);

    private string BuildScriptWords()
    {
        var words = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["uploaded"] = this["uploaded"],
            ["This file is already in the library as {0}: pick that one in your item."] = this["This file is already in the library as {0}: pick that one in your item."],
            ["Upload a copy anyway"] = this["Upload a copy anyway"],
            ["uploading…"] = this["uploading…"],
            ["This file is already in the library as {0}: it is chosen."] = this["This file is already in the library as {0}: it is chosen."],
            ["A different file named {0} is in the library: rename yours, or pick that one."] = this["A different file named {0} is in the library: rename yours, or pick that one."],
            ["the connection failed"] = this["the connection failed"],
            ["Preview"] = this["Preview"],
            ["Hide preview"] = this["Hide preview"],
            ["The preview failed ({0})."] = this["The preview failed ({0})."],
            ["waiting"] = this["waiting"],
            ["processing"] = this["processing"],
            ["ready"] = this["ready"],
            ["failed"] = this["failed"],
        };
        // The default encoder escapes <, > and &: the JSON cannot end the script element it sits in.
        return System.Text.Json.JsonSerializer.Serialize(words);
    }

    /// <summary>How many entries a language has (for tests and the translators' check).</summary>
    public int Count(string language) => _translations.TryGetValue(language, out var words) ? words.Count : 0;

    /// <summary>Reads msgid/msgstr pairs (one line each, with C escapes); comments and other keywords are skipped.</summary>
    public static IReadOnlyDictionary<string, string> ParsePo(string po)
    {
        ArgumentNullException.ThrowIfNull(po);
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        string? id = null;
        foreach (var raw in po.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("msgid ", StringComparison.Ordinal))
            {
                id = Unquote(line[6..]);
            }
            else if (line.StartsWith("msgstr ", StringComparison.Ordinal) && id is { Length: > 0 })
            {
                entries[id] = Unquote(line[7..]);
                id = null;
            }
        }
        return entries;
    }

    private static string Unquote(string quoted)
    {
        var text = quoted.Trim();
        if (text.Length < 2 || text[0] != '"' || text[^1] != '"')
        {
            throw new FormatException($"a PO string must be quoted: {quoted}");
        }
        var builder = new StringBuilder();
        for (var i = 1; i < text.Length - 1; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length - 1)
            {
                i++;
                builder.Append(text[i] switch { 'n' => '\n', 't' => '\t', _ => text[i] });
            }
            else
            {
                builder.Append(text[i]);
            }
        }
        return builder.ToString();
    }
}

/// <summary>Messages a page model shows, in the editor's language.</summary>
public static class CmiPageText
{
    /// <summary><paramref name="text"/> (a literal, so the translators' check finds it) in the request's language.</summary>
    public static string Say(this Microsoft.AspNetCore.Mvc.RazorPages.PageModel page, string text, params object?[] arguments)
    {
        ArgumentNullException.ThrowIfNull(page);
        return Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<CmiText>(page.HttpContext.RequestServices)[text, arguments];
    }
}
