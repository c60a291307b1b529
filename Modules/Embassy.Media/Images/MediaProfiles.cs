using System.Text.Json;
using System.Text.Json.Nodes;
using Embassy.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Embassy.Media.Images;

/// <summary>
/// The site's media profiles (stored by the MediaProfiles recipe step and the CMI in the site settings), read again
/// at most every <see cref="MediaOptions.IndexCacheDuration"/>, so a standby sees a change as soon as it replicates.
/// </summary>
public sealed class MediaProfiles(IServiceScopeFactory scopes, IOptions<MediaOptions> options, TimeProvider clock) : IDisposable
{
    /// <summary>The site settings key the profiles are kept under (Orchard's step name).</summary>
    public const string SettingsKey = "MediaProfiles";

    /// <summary>Orchard's ResizeMode and Format enums in their order: recipes give either the name or the number.</summary>
    public static readonly string[] Modes = ["Undefined", "Max", "Crop", "Pad", "BoxPad", "Min", "Stretch"];

    public static readonly string[] Formats = ["Undefined", "Bmp", "Gif", "Jpg", "Png", "Tga", "WebP"];

    private volatile Snapshot? _snapshot;
    private readonly SemaphoreSlim _loading = new(1, 1);

    public async ValueTask<IReadOnlyDictionary<string, MediaProfile>> GetAsync(CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        if (snapshot is not null && clock.GetElapsedTime(snapshot.ReadAt) < options.Value.IndexCacheDuration)
        {
            return snapshot.Profiles;
        }
        await _loading.WaitAsync(cancellationToken);
        try
        {
            snapshot = _snapshot;
            if (snapshot is not null && clock.GetElapsedTime(snapshot.ReadAt) < options.Value.IndexCacheDuration)
            {
                return snapshot.Profiles;
            }
            await using var scope = scopes.CreateAsyncScope();
            var settings = await scope.ServiceProvider.GetRequiredService<SiteSettingsStore>().GetAsync(cancellationToken);
            var profiles = Read(settings[SettingsKey] as JsonObject);
            _snapshot = new Snapshot(profiles, clock.GetTimestamp());
            return profiles;
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <summary>Forgets what was read, so the next request reads the settings again (after a change on this server).</summary>
    public void Invalidate() => _snapshot = null;

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
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? (int)v.GetValue<double>() : 0;

    private static string? Word(JsonNode? node, string[] names) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.GetValue<double>() is var n && n >= 0 && n < names.Length => names[(int)n],
        _ => null,
    };

    public void Dispose() => _loading.Dispose();

    private sealed record Snapshot(IReadOnlyDictionary<string, MediaProfile> Profiles, long ReadAt);
}
