using System.Text.Json;
using System.Text.Json.Nodes;
using Embassy.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Embassy.Media.Images;

/// <summary>
/// The site's media profiles (stored by the MediaProfiles recipe step and the CMI in the site settings), read once per
/// definitions version (<see cref="DefinitionsWatch"/>): a change on either server moves the version, so a standby
/// reads them again within one head poll of the row's arrival, and nothing re-reads them on a timer.
/// </summary>
public sealed class MediaProfiles : IDisposable
{
    private readonly IServiceScopeFactory _scopes;
    private readonly DefinitionsWatch _definitions;

    public MediaProfiles(IServiceScopeFactory scopes, DefinitionsWatch definitions)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        _scopes = scopes;
        _definitions = definitions;
        definitions.Changed += _ => Invalidate();
    }

    /// <summary>The site settings key the profiles are kept under (Orchard's step name).</summary>
    public const string SettingsKey = "MediaProfiles";

    /// <summary>Orchard's ResizeMode and Format enums in their order: recipes give either the name or the number.</summary>
    public static readonly string[] Modes = ["Undefined", "Max", "Crop", "Pad", "BoxPad", "Min", "Stretch"];

    public static readonly string[] Formats = ["Undefined", "Bmp", "Gif", "Jpg", "Png", "Tga", "WebP"];

    private volatile Snapshot? _snapshot;
    private readonly SemaphoreSlim _loading = new(1, 1);
    private long _generation;

    /// <summary>Changes whenever the profiles are changed on this server (<see cref="Invalidate"/>).</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>Until when (<see cref="TimeProvider.GetTimestamp"/>) the profiles last read stand for the settings: until
    /// the definitions change (<see cref="Generation"/> moves then), or not at all when none are read for this version.</summary>
    public long FreshUntil => _snapshot is { } snapshot && snapshot.Version == _definitions.Version ? long.MaxValue : long.MinValue;

    public async ValueTask<IReadOnlyDictionary<string, MediaProfile>> GetAsync(CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        if (snapshot is not null && snapshot.Version == _definitions.Version)
        {
            return snapshot.Profiles;
        }
        await _loading.WaitAsync(cancellationToken);
        try
        {
            snapshot = _snapshot;
            // The version is taken before the read: a change while it runs leaves a copy of the old version, not used.
            var version = _definitions.Version;
            if (snapshot is not null && snapshot.Version == version)
            {
                return snapshot.Profiles;
            }
            await using var scope = _scopes.CreateAsyncScope();
            var settings = await scope.ServiceProvider.GetRequiredService<SiteSettingsStore>().GetAsync(cancellationToken);
            var profiles = Read(settings[SettingsKey] as JsonObject);
            _snapshot = new Snapshot(profiles, version);
            return profiles;
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <summary>Forgets what was read, so the next request reads the settings again (after a change on this server).</summary>
    public void Invalidate()
    {
        _snapshot = null;
        Interlocked.Increment(ref _generation);
    }

    /// <summary>A profile's longest side: bounds what one transform may allocate (4096² RGBA is 64 MB).</summary>
    public const int MaxSide = 4096;

    /// <summary>What is wrong with a profile in Orchard's shape (Width, Height, Mode, Format, Quality, BackgroundColor, Hint), each naming the property.</summary>
    public static List<string> Check(string name, JsonNode? value)
    {
        var errors = new List<string>();
        if (string.IsNullOrEmpty(name) || name.Length > 40 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            errors.Add($"'{(name.Length > 40 ? name[..40] + "…" : name)}' is not a profile name: 1 to 40 letters, digits, - or _ (it goes into URLs)");
        }
        if (value is not JsonObject profile)
        {
            errors.Add($"MediaProfiles.{name} must be an object (Width, Height, Mode, Format, Quality …)");
            return errors;
        }
        CheckNumber(profile, name, "Width", 0, MaxSide, errors);
        CheckNumber(profile, name, "Height", 0, MaxSide, errors);
        CheckNumber(profile, name, "Quality", 0, 100, errors);
        CheckWord(profile, name, "Mode", Modes, errors);
        CheckWord(profile, name, "Format", Formats, errors);
        if (Number(profile["Width"]) == 0 && Number(profile["Height"]) == 0)
        {
            errors.Add($"MediaProfiles.{name} needs a Width or a Height");
        }
        if (profile["BackgroundColor"] is JsonValue bg && bg.TryGetValue<string>(out var color) && color.Length > 0 &&
            !ImageCommand.TryParseColor(color, out _))
        {
            errors.Add($"MediaProfiles.{name}.BackgroundColor must be a colour as RRGGBB or RRGGBBAA in hex, or white, black, transparent; not \"{color}\"");
        }
        return errors;
    }

    private static void CheckNumber(JsonObject profile, string name, string property, int min, int max, List<string> errors)
    {
        if (profile[property] is { } node && (node.GetValueKind() != JsonValueKind.Number || AsDouble(node) is var n && (n < min || n > max || n != Math.Floor(n))))
        {
            errors.Add($"MediaProfiles.{name}.{property} must be a whole number from {min} to {max}, not {node.ToJsonString()}");
        }
    }

    private static void CheckWord(JsonObject profile, string name, string property, string[] allowed, List<string> errors)
    {
        if (profile[property] is null)
        {
            return;
        }
        if (Word(profile[property], allowed) is not { } word || !allowed.Contains(word, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add($"MediaProfiles.{name}.{property} must be one of {string.Join(", ", allowed)} (or its number 0–{allowed.Length - 1}), not {profile[property]!.ToJsonString()}");
        }
    }

    /// <summary>Orchard's stored shape ({ "name": { Width, Height, Mode, Format, Quality, BackgroundColor, Hint } }) as profiles.</summary>
    public static IReadOnlyDictionary<string, MediaProfile> Read(JsonObject? stored)
    {
        var profiles = new SortedDictionary<string, MediaProfile>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in stored ?? [])
        {
            if (value is JsonObject p)
            {
                profiles[name] = new MediaProfile(name, Number(p["Width"]), Number(p["Height"]), Word(p["Mode"], Modes), Word(p["Format"], Formats),
                    Number(p["Quality"]), (string?)(p["BackgroundColor"] as JsonValue), (string?)(p["Hint"] as JsonValue));
            }
        }
        return profiles;
    }

    private static int Number(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? (int)AsDouble(v) : 0;

    /// <summary>A number whether it was parsed (a recipe) or built in code (the CMI: an int).</summary>
    private static double AsDouble(JsonNode node) =>
        node is JsonValue v && v.TryGetValue<double>(out var d) ? d
        : node is JsonValue i && i.TryGetValue<int>(out var n) ? n
        : node is JsonValue l && l.TryGetValue<long>(out var m) ? m : double.NaN;

    private static string? Word(JsonNode? node, string[] names) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && AsDouble(v) is var n && n >= 0 && n < names.Length && n == Math.Floor(n) => names[(int)n],
        _ => null,
    };

    public void Dispose() => _loading.Dispose();

    private sealed record Snapshot(IReadOnlyDictionary<string, MediaProfile> Profiles, long Version);
}
