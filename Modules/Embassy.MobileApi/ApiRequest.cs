using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Embassy.MobileApi;

/// <summary>
/// Validation of the mobile API's query parameters. Every parameter is read as text and checked here,
/// so that bad input always gets a 400 ValidationProblem that names it, never a binder's exception.
/// </summary>
public sealed partial class ApiRequest(HttpContext context, MobileApiOptions options)
{
    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.-]{0,254}$")]
    public static partial Regex TypeName();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex IdPattern();

    public bool IsValid => _errors.Count == 0;

    public int MaxAge => options.ContentMaxAgeSeconds;

    public IResult Problem() => TypedResults.ValidationProblem(_errors, title: Embassy.Core.ProblemTitles.BadRequest);

    public void Error(string parameter, string message) => _errors[parameter] = [message];

    public string? Query(string name)
    {
        var values = context.Request.Query[name];
        if (values.Count > 1)
        {
            Error(name, $"'{name}' is given more than once.");
            return null;
        }
        return values.Count == 0 ? null : values[0];
    }

    public int Limit(int defaultValue, int max)
    {
        var text = Query("limit");
        if (text is null)
        {
            return defaultValue;
        }
        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var limit) || limit < 1 || limit > max)
        {
            Error("limit", $"limit must be a whole number from 1 to {max}.");
            return defaultValue;
        }
        return limit;
    }

    public bool Flag(string name)
    {
        var text = Query(name);
        if (text is null)
        {
            return false;
        }
        if (!bool.TryParse(text, out var value))
        {
            Error(name, $"{name} must be true or false.");
        }
        return value;
    }

    public string? Id(string name, string? value)
    {
        if (value is not null && !IdPattern().IsMatch(value))
        {
            Error(name, $"{name} is not a content item id.");
            return null;
        }
        return value;
    }

    /// <summary>The culture asked for (parameter, else Accept-Language, else the default) and its fallback chain.</summary>
    public (string Culture, IReadOnlyList<string> Chain) Culture(Json.ApiLocalization localization)
    {
        ArgumentNullException.ThrowIfNull(localization);
        var requested = Query("culture");
        string culture;
        if (requested is not null)
        {
            culture = Supported(requested) ?? "";
            if (culture.Length == 0)
            {
                Error("culture", $"culture must be one of: {string.Join(", ", options.Cultures)}.");
                culture = localization.Default;
            }
        }
        else
        {
            culture = FromAcceptLanguage() ?? localization.Default;
        }
        var chain = new List<string> { culture };
        chain.AddRange(localization.Fallback.GetValueOrDefault(culture, []).Where(c => !chain.Contains(c)));
        return (culture, chain);
    }

    /// <summary>The culture only if the request names one (parameter); null means every culture.</summary>
    public string? OptionalCulture()
    {
        var requested = Query("culture");
        if (requested is null)
        {
            return null;
        }
        var culture = Supported(requested);
        if (culture is null)
        {
            Error("culture", $"culture must be one of: {string.Join(", ", options.Cultures)}.");
        }
        return culture;
    }

    public IReadOnlyList<string>? Types(IReadOnlyCollection<string> known)
    {
        var text = Query("types");
        if (text is null)
        {
            return null;
        }
        var types = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var unknown = types.Where(t => !known.Contains(t)).ToList();
        if (types.Count == 0 || unknown.Count > 0)
        {
            Error("types", unknown.Count > 0
                ? $"unknown content type(s): {string.Join(", ", unknown.Select(Truncate))}."
                : "types must be a comma-separated list of content types.");
        }
        return types;
    }

    /// <summary>Field selection: ?fields=title,summary keeps those (id and type are always sent).</summary>
    public IReadOnlySet<string>? Fields()
    {
        var text = Query("fields");
        if (text is null)
        {
            return null;
        }
        var fields = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        if (fields.Count == 0 || fields.Count > 50 || fields.Any(f => f.Length > 64))
        {
            Error("fields", "fields must be a comma-separated list of up to 50 field names.");
        }
        return fields;
    }

    /// <summary>How rich text comes: ?richText=html (the default: strings as stored) or ?richText=blocks (a tree the app
    /// renders natively, <see cref="Embassy.Content.Elements.RichText"/>).</summary>
    public bool RichTextBlocks()
    {
        switch (Query("richText"))
        {
            case null or "html":
                return false;
            case "blocks":
                return true;
            default:
                Error("richText", "richText must be html (the default) or blocks.");
                return false;
        }
    }

    private string? Supported(string culture)
    {
        var match = options.Cultures.FirstOrDefault(c => string.Equals(c, culture, StringComparison.OrdinalIgnoreCase))
            ?? options.Cultures.FirstOrDefault(c => culture.StartsWith(c + "-", StringComparison.OrdinalIgnoreCase));
        return match;
    }

    private string? FromAcceptLanguage()
    {
        var header = context.Request.Headers.AcceptLanguage.ToString();
        if (header.Length == 0 || header.Length > 256 ||
            !StringWithQualityHeaderValue.TryParseList(header.Split(','), out var values))
        {
            return null;
        }
        return values.Where(v => (v.Quality ?? 1) > 0).OrderByDescending(v => v.Quality ?? 1)
            .Select(v => Supported(v.Value.ToString())).FirstOrDefault(c => c is not null);
    }

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
