using System.Globalization;
using Embassy.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.Admin;

/// <summary>
/// The site's time zone (Settings → Time zone, Orchard's TimeZoneId; Europe/Warsaw by default) for every date and time
/// the CMI shows or takes. Everything is stored in UTC; editors read and write their own wall-clock time, in one format
/// that does not depend on the browser's language (yyyy-MM-dd HH:mm).
/// </summary>
public sealed class SiteTime(TimeZoneInfo zone)
{
    public const string DefaultZone = "Europe/Warsaw";
    public const string Format = "yyyy-MM-dd HH:mm";
    private static readonly object Key = new();

    public TimeZoneInfo Zone { get; } = zone;

    /// <summary>The zone's name as editors see it next to times ("Europe/Warsaw").</summary>
    public string Name => Zone.Id;

    /// <summary>The request's site time (read once per request from the settings).</summary>
    public static async Task<SiteTime> ForAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.Items[Key] is SiteTime known)
        {
            return known;
        }
        var settings = await http.RequestServices.GetRequiredService<SiteSettingsStore>().GetAsync(http.RequestAborted);
        var time = new SiteTime(Resolve((string?)settings["TimeZoneId"]));
        http.Items[Key] = time;
        return time;
    }

    /// <summary>For Razor: the site time the request already loaded (the admin middleware loads it), else the default zone.</summary>
    public static SiteTime Of(HttpContext http) => http?.Items[Key] as SiteTime ?? Default;

    /// <summary>The default zone's (Europe/Warsaw).</summary>
    public static SiteTime Default { get; } = new(Resolve(null));

    public static TimeZoneInfo Resolve(string? id) =>
        id is { Length: > 0 } && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone
        : TimeZoneInfo.TryFindSystemTimeZoneById(DefaultZone, out var warsaw) ? warsaw : TimeZoneInfo.Utc;

    public DateTime ToLocal(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone);

    /// <summary>A UTC time as the editor reads it: "2026-06-01 14:00".</summary>
    public string Show(DateTime utc) => ToLocal(utc).ToString(Format, CultureInfo.InvariantCulture);

    public string Show(DateTimeOffset utc) => Show(utc.UtcDateTime);

    /// <summary>Wall-clock time typed by an editor ("2026-06-01 10:00", or with a T) as UTC; null with the reason when it
    /// is not a time, or does not exist in the zone (the hour skipped when clocks go forward). The reason is a text to
    /// translate, with {0} for the zone's name.</summary>
    public DateTime? ToUtc(string text, out string? error)
    {
        error = null;
        if (!DateTime.TryParseExact(text.Trim().Replace('T', ' '), ["yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss"], CultureInfo.InvariantCulture,
                DateTimeStyles.None, out var local))
        {
            error = "is not a date and time as YYYY-MM-DD HH:MM (e.g. 2026-06-01 10:00)";
            return null;
        }
        if (Zone.IsInvalidTime(local))
        {
            error = "does not exist in {0}: the clocks skip that hour";
            return null;
        }
        return TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), Zone);
    }
}
