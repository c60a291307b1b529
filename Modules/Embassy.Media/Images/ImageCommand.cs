using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Embassy.Media.Images;

/// <summary>How a derivative is resized (Orchard Core's, i.e. ImageSharp.Web's, <c>rmode</c> values).</summary>
public enum ResizeMode
{
    /// <summary>Fill the box, cutting what sticks out (around the focal point). The default when both sizes are given.</summary>
    Crop,

    /// <summary>Fit inside the box and fill the rest with the background colour: exactly the box's size.</summary>
    Pad,

    /// <summary>As pad, but a picture smaller than the box is not enlarged, only padded.</summary>
    BoxPad,

    /// <summary>Fit inside the box, keeping the proportions: at most the box's size.</summary>
    Max,

    /// <summary>Until the shorter side reaches the box, keeping the proportions; never enlarged.</summary>
    Min,

    /// <summary>Exactly the box's size, ignoring the proportions.</summary>
    Stretch,
}

public enum ImageFormat
{
    Jpeg,
    Png,
    WebP,
}

/// <summary>
/// One derivative, in canonical form: the same request always gives the same <see cref="Key"/>, whatever the order or
/// spelling of its query. Parsed from Orchard Core's query names: <c>width</c>, <c>height</c>, <c>rmode</c>,
/// <c>rxy</c>, <c>format</c> (<c>jpg</c>, <c>png</c>, <c>webp</c>, <c>auto</c>), <c>quality</c>, <c>bgcolor</c>, or
/// <c>profile</c> (a media profile, to which only <c>rxy</c> may be added).
/// </summary>
public sealed record ImageCommand(int Width, int Height, ResizeMode Mode, double FocusX, double FocusY, ImageFormat Format, int Quality, uint Background)
{
    /// <summary>The query names that ask for a derivative; a request with none of them gets the original file.</summary>
    public static readonly string[] QueryNames = ["width", "height", "rmode", "rxy", "format", "quality", "bgcolor", "profile"];

    /// <summary>The files that can be transformed (by their extension).</summary>
    public static readonly IReadOnlySet<string> Transformable = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".webp", ".gif" };

    /// <summary>The canonical text of this command: what the cache key and the ETag are made of.</summary>
    public string Key => string.Create(CultureInfo.InvariantCulture,
        $"w={Width};h={Height};m={Mode};x={FocusX:0.00};y={FocusY:0.00};f={Format};q={Quality};bg={Background:x8}");

    public string Extension => Format switch { ImageFormat.Png => ".png", ImageFormat.WebP => ".webp", _ => ".jpg" };

    public string ContentType => Format switch { ImageFormat.Png => "image/png", ImageFormat.WebP => "image/webp", _ => "image/jpeg" };

    public static bool IsRequested(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return QueryNames.Any(query.ContainsKey);
    }

    /// <summary>
    /// Reads the command from a request's query. <paramref name="varyByAccept"/> says whether the format came from the
    /// Accept header (<c>format=auto</c>, or a profile without a format): the response then carries <c>Vary: Accept</c>.
    /// </summary>
    public static ImageCommand? Parse(IQueryCollection query, string sourceExtension, string? accept, Func<string, MediaProfile?> profiles,
        ImageOptions options, out bool varyByAccept, out string? error)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(profiles);
        ArgumentNullException.ThrowIfNull(options);
        varyByAccept = false;
        error = null;
        foreach (var name in QueryNames)
        {
            if (query.TryGetValue(name, out var values) && values.Count > 1)
            {
                error = $"'{name}' is given {values.Count} times; give it once.";
                return null;
            }
        }
        string? Value(string name) => query.TryGetValue(name, out var v) ? v.ToString() : null;

        var width = 0;
        var height = 0;
        string? mode;
        string? format;
        string? quality;
        string? background;
        var profileName = Value("profile");
        if (profileName is not null)
        {
            var others = QueryNames.Where(n => n is not "profile" and not "rxy" && query.ContainsKey(n)).ToList();
            if (others.Count > 0)
            {
                error = $"'profile' sets the size and format; it cannot be combined with {string.Join(", ", others.Select(o => $"'{o}'"))} (only 'rxy' may be added).";
                return null;
            }
            if (profiles(profileName) is not { } profile)
            {
                error = $"'profile': there is no media profile named '{Clip(profileName)}'.";
                return null;
            }
            width = profile.Width;
            height = profile.Height;
            mode = profile.Mode;
            format = profile.Format;
            quality = profile.Quality is > 0 and <= 100 ? profile.Quality.ToString(CultureInfo.InvariantCulture) : null;
            background = string.IsNullOrEmpty(profile.BackgroundColor) ? null : profile.BackgroundColor;
        }
        else
        {
            if (!Size(Value("width"), "width", options, out width, ref error) || !Size(Value("height"), "height", options, out height, ref error))
            {
                return null;
            }
            mode = Value("rmode");
            format = Value("format");
            quality = Value("quality");
            background = Value("bgcolor");
        }
        if (width == 0 && height == 0)
        {
            error = profileName is not null ? $"'profile': the media profile '{Clip(profileName)}' has no width or height." : "Give 'width' or 'height' (or a 'profile').";
            return null;
        }

        ResizeMode resize;
        if (string.IsNullOrEmpty(mode) || mode.Equals("undefined", StringComparison.OrdinalIgnoreCase))
        {
            resize = ResizeMode.Crop;
        }
        else if (!Enum.TryParse(mode, ignoreCase: true, out resize) || !Enum.IsDefined(resize) || int.TryParse(mode, out _))
        {
            error = $"'rmode' must be one of pad, boxpad, crop, min, max, stretch; not '{Clip(mode)}'.";
            return null;
        }

        var (x, y) = (0.5, 0.5);
        if (Value("rxy") is { } rxy)
        {
            var parts = rxy.Split(',');
            if (parts.Length != 2 || !Fraction(parts[0], out x) || !Fraction(parts[1], out y))
            {
                error = $"'rxy' is the focal point 'x,y', each from 0 to 1 (e.g. 0.5,0.3); not '{Clip(rxy)}'.";
                return null;
            }
        }

        ImageFormat output;
        switch (format?.ToLowerInvariant())
        {
            case null or "" or "undefined" or "auto":
                varyByAccept = format is not null || profileName is not null;
                var original = sourceExtension.ToLowerInvariant() switch { ".png" or ".gif" => ImageFormat.Png, ".webp" => ImageFormat.WebP, _ => ImageFormat.Jpeg };
                output = varyByAccept && AcceptsWebP(accept) ? ImageFormat.WebP : original;
                break;
            case "jpg" or "jpeg":
                output = ImageFormat.Jpeg;
                break;
            case "png" or "gif" or "bmp" or "tga":
                output = ImageFormat.Png;
                break;
            case "webp":
                output = ImageFormat.WebP;
                break;
            default:
                error = $"'format' must be jpg, png, webp or auto; not '{Clip(format)}'.";
                return null;
        }

        var q = options.DefaultQuality;
        if (!string.IsNullOrEmpty(quality) && (!int.TryParse(quality, NumberStyles.None, CultureInfo.InvariantCulture, out q) || q is < 1 or > 100))
        {
            error = $"'quality' must be a whole number from 1 to 100; not '{Clip(quality)}'.";
            return null;
        }
        if (profileName is null && !string.IsNullOrEmpty(quality) && q != options.DefaultQuality && !options.Qualities.Contains(q))
        {
            error = $"'quality' must be one of the supported qualities ({string.Join(", ", options.Qualities)}, or {options.DefaultQuality}; Embassy:Media:Images:SupportedQualities), not '{Clip(quality)}'.";
            return null;
        }
        if (output == ImageFormat.Png)
        {
            q = 100; // lossless: one derivative, whatever quality was asked
        }

        var bg = output == ImageFormat.Jpeg ? 0xffffffffu : 0x00000000u;
        if (!string.IsNullOrEmpty(background) && !TryParseColor(background, out bg))
        {
            error = $"'bgcolor' must be a colour as RGB, RRGGBB or RRGGBBAA in hex (e.g. ffffff), or white, black, transparent; not '{Clip(background)}'.";
            return null;
        }
        if (profileName is null && !string.IsNullOrEmpty(background)
            && !options.Backgrounds.Any(allowed => TryParseColor(allowed, out var a) && a == bg))
        {
            error = $"'bgcolor' must be one of the supported colours ({string.Join(", ", options.Backgrounds)}; Embassy:Media:Images:SupportedBackgrounds), not '{Clip(background)}'. Media profiles give other colours.";
            return null;
        }
        return new ImageCommand(width, height, resize, Math.Round(x, 2), Math.Round(y, 2), output, q, bg);
    }

    public static bool AcceptsWebP(string? accept) =>
        accept is not null && accept.Split(',').Any(a =>
        {
            var parts = a.Split(';');
            return parts[0].Trim().Equals("image/webp", StringComparison.OrdinalIgnoreCase)
                && !parts.Skip(1).Any(p => p.Trim().Replace(" ", "", StringComparison.Ordinal) is "q=0" or "q=0.0" or "q=0.00" or "q=0.000");
        });

    private static bool Size(string? text, string name, ImageOptions options, out int size, ref string? error)
    {
        size = 0;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out size) && options.Sizes.Contains(size))
        {
            return true;
        }
        error = $"'{name}' must be one of the supported sizes ({string.Join(", ", options.Sizes)}; Embassy:Media:Images:SupportedSizes), not '{Clip(text)}'. Media profiles give other sizes.";
        return false;
    }

    private static bool Fraction(string text, out double value) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value) && value is >= 0 and <= 1;

    /// <summary>A colour as the query and media profiles give it (RGB, RRGGBB or RRGGBBAA in hex, or white, black,
    /// transparent), as 0xAARRGGBB.</summary>
    public static bool TryParseColor(string text, out uint argb)
    {
        argb = 0;
        switch (text.ToLowerInvariant())
        {
            case "white":
                argb = 0xffffffff;
                return true;
            case "black":
                argb = 0xff000000;
                return true;
            case "transparent":
                return true;
        }
        var hex = text.TrimStart('#');
        if (hex.Length == 3 && hex.All(Uri.IsHexDigit))
        {
            hex = string.Concat(hex.Select(c => $"{c}{c}"));
        }
        if (hex.Length is not (6 or 8) || !hex.All(Uri.IsHexDigit))
        {
            return false;
        }
        var rgb = uint.Parse(hex[..6], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var alpha = hex.Length == 8 ? uint.Parse(hex[6..], NumberStyles.HexNumber, CultureInfo.InvariantCulture) : 0xff;
        argb = (alpha << 24) | rgb;
        return true;
    }

    private static string Clip(string text) => text.Length > 40 ? text[..40] + "…" : text;
}

/// <summary>A media profile (Orchard Core's MediaProfiles step): named commands an app or editor asks for by name.</summary>
public sealed record MediaProfile(string Name, int Width, int Height, string? Mode, string? Format, int Quality, string? BackgroundColor, string? Hint);
