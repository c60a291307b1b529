using System.Text.Json;
using System.Text.Json.Nodes;
using Embassy.Core;
using Embassy.Recipes;

namespace Embassy.Media.Recipes;

/// <summary>
/// MediaProfiles (Orchard's step): named image sizes — { "thumbnail": { "Width": 240, "Height": 240, "Mode": "Crop",
/// "Format": "Jpg", "Quality": 75, "BackgroundColor": "…", "Hint": "…" } } — stored in the site settings under
/// "MediaProfiles", merged by name, for the image transforms to serve. Each profile is checked for Orchard's shape.
/// </summary>
internal sealed class MediaProfilesStep(SiteSettingsStore settings, Images.MediaProfiles known) : IRecipeStep
{
    private const string SettingsKey = Images.MediaProfiles.SettingsKey;
    private static readonly string[] Modes = Images.MediaProfiles.Modes;
    private static readonly string[] Formats = Images.MediaProfiles.Formats;

    /// <summary>A derivative's longest side: bounds what one transform may allocate (4096² RGBA is 64 MB).</summary>
    public const int MaxProfileSide = 4096;

    public async Task<string> ExecuteAsync(RecipeStepContext context, CancellationToken cancellationToken)
    {
        if (context.Property(SettingsKey) is not JsonObject profiles)
        {
            throw new RecipeException("a MediaProfiles step needs a \"MediaProfiles\" object of named profiles");
        }
        foreach (var (name, value) in profiles)
        {
            if (value is not JsonObject profile)
            {
                throw new RecipeException($"MediaProfiles.{name} must be an object (Width, Height, Mode, Format, Quality …)");
            }
            CheckNumber(profile, name, "Width", 0, MaxProfileSide);
            CheckNumber(profile, name, "Height", 0, MaxProfileSide);
            CheckNumber(profile, name, "Quality", 0, 100);
            CheckWord(profile, name, "Mode", Modes);
            CheckWord(profile, name, "Format", Formats);
        }
        var document = await settings.GetAsync(cancellationToken);
        var merged = document[SettingsKey] as JsonObject is { } existing ? (JsonObject)existing.DeepClone() : [];
        foreach (var (name, value) in profiles)
        {
            merged[name] = value!.DeepClone();
        }
        var changed = await settings.MergeAsync(new JsonObject { [SettingsKey] = merged }, cancellationToken);
        known.Invalidate();
        return $"{profiles.Count} media profiles stored ({string.Join(", ", profiles.Select(p => p.Key))})" + (changed.Count == 0 ? ", unchanged" : "");
    }

    private static void CheckNumber(JsonObject profile, string name, string property, int min, int max)
    {
        if (profile[property] is { } node && (node.GetValueKind() != JsonValueKind.Number || node.GetValue<double>() is var n && (n < min || n > max)))
        {
            throw new RecipeException($"MediaProfiles.{name}.{property} must be a number from {min} to {max}, not {node.ToJsonString()}");
        }
    }

    private static void CheckWord(JsonObject profile, string name, string property, string[] allowed)
    {
        if (profile[property] is not JsonValue v)
        {
            if (profile[property] is { } other)
            {
                throw new RecipeException($"MediaProfiles.{name}.{property} must be one of {string.Join(", ", allowed)} (or its number), not {other.ToJsonString()}");
            }
            return;
        }
        var ok = v.TryGetValue<string>(out var text) ? allowed.Contains(text, StringComparer.OrdinalIgnoreCase)
            : v.GetValueKind() == JsonValueKind.Number && v.GetValue<double>() is var n && n >= 0 && n < allowed.Length && n == Math.Floor(n);
        if (!ok)
        {
            throw new RecipeException($"MediaProfiles.{name}.{property} must be one of {string.Join(", ", allowed)} (or its number 0–{allowed.Length - 1}), not {v.ToJsonString()}");
        }
    }
}
