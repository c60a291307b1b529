using System.ComponentModel.DataAnnotations;

namespace Embassy.MobileApi;

public sealed class MobileApiOptions
{
    public const string Section = "MobileApi";

    [Range(1, 500)]
    public int DefaultPageSize { get; set; } = 20;

    [Range(1, 1000)]
    public int MaxPageSize { get; set; } = 100;

    /// <summary>Cultures the app can ask for; the first is the default.</summary>
    [MinLength(1)]
    public List<string> Cultures { get; set; } = ["pl", "en"];

    /// <summary>For each culture, the cultures to fall back to when an item has no translation in it.</summary>
    public Dictionary<string, List<string>> Fallback { get; set; } = new() { ["pl"] = ["en"], ["en"] = ["pl"] };

    /// <summary>Serve repeated requests from memory until content changes (keyed by the change-feed head).</summary>
    public bool CacheEnabled { get; set; } = true;

    [Range(1, 4096)]
    public int CacheSizeMegabytes { get; set; } = 64;

    /// <summary>
    /// Published item versions kept as the JSON lists write (about 1 KB each), so that lists made again after a
    /// publish read only their index; 0 turns it off. Independent of <see cref="CacheEnabled"/>.
    /// </summary>
    [Range(0, 1_000_000)]
    public int ItemCacheSize { get; set; } = 20_000;

    /// <summary>How often every server reads the change-feed head (the standby learns of changes only this way).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan HeadPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Wrong preview tokens a client address may send per minute; past it every preview request from that address
    /// answers 429 until the minute is over (a token is 256 random bits: this only keeps guessing from costing lookups).</summary>
    [Range(1, 100_000)]
    public int WrongPreviewTokensPerMinute { get; set; } = 20;

    /// <summary>Requests a client IP may make per second on average (token bucket), and its burst.</summary>
    [Range(1, 1_000_000)]
    public int RateLimitPerSecond { get; set; } = 50;

    [Range(1, 1_000_000)]
    public int RateLimitBurst { get; set; } = 200;

    /// <summary>Browser origins allowed by CORS; empty means no cross-origin access (the app is not a browser).</summary>
    public List<string> CorsOrigins { get; set; } = [];

    /// <summary>The address the app reaches this API at (e.g. https://api.embassy.example), named as the server in the
    /// OpenAPI document; without it the document names the address of the request that fetched it.</summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>The link a preview QR code opens: the app's deep link, with {id} (the item, empty for all drafts),
    /// {token} and {base} (PublicBaseUrl, else the CMI's own address). The default opens the API's JSON of the item.</summary>
    public string PreviewLinkTemplate { get; set; } = "{base}/api/v1/items/{id}?preview={token}";

    [Range(64, 8192)]
    public int MaxQueryLength { get; set; } = 2048;

    /// <summary>Cache-Control max-age of lists and items, in seconds (clients revalidate with If-None-Match after it).</summary>
    [Range(0, 86400)]
    public int ContentMaxAgeSeconds { get; set; } = 15;
}
