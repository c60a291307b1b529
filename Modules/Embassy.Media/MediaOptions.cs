using System.ComponentModel.DataAnnotations;

namespace Embassy.Media;

public sealed class MediaOptions
{
    public const string Section = "Embassy:Media";

    /// <summary>Orchard Core's default allowed extensions, plus .webm.</summary>
    public List<string> AllowedExtensions { get; set; } =
    [
        ".jpg", ".jpeg", ".png", ".gif", ".ico", ".svg", ".webp", ".pdf", ".doc", ".docx", ".ppt", ".pptx", ".pps", ".ppsx",
        ".odt", ".xls", ".xlsx", ".psd", ".mp3", ".m4a", ".ogg", ".wav", ".mp4", ".m4v", ".mov", ".wmv", ".avi", ".mpg", ".ogv",
        ".3gp", ".webm",
    ];

    [Range(1, long.MaxValue)]
    public long MaxVideoBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    [Range(1, long.MaxValue)]
    public long MaxImageBytes { get; set; } = 20L * 1024 * 1024;

    [Range(1, long.MaxValue)]
    public long MaxOtherBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>Concurrent media responses (video streams) served at once; past it, 503 with Retry-After.</summary>
    [Range(1, 100_000)]
    public int MaxConcurrentStreams { get; set; } = 2000;

    /// <summary>Media responses one client address may have at once (429 past it), so that no one holds every slot.</summary>
    [Range(1, 100_000)]
    public int MaxStreamsPerClient { get; set; } = 32;

    /// <summary>Media requests per second per client address (a token bucket, 429 + Retry-After past it).</summary>
    [Range(1, 1_000_000)]
    public int RateLimitPerSecond { get; set; } = 100;

    [Range(1, 1_000_000)]
    public int RateLimitBurst { get; set; } = 400;

    /// <summary>The slowest a client may read once the stalled-stream grace has passed (Kestrel's default is 240 B/s).</summary>
    [Range(1, 10_000_000)]
    public int MinStreamBytesPerSecond { get; set; } = 240;

    /// <summary>A response whose client reads nothing for this long is closed; a paused player within it is not.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan StalledStreamTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Media bodies are sent in chunks of this size (one read and one socket write each); 0 sends them Kestrel's way
    /// (16 KiB). Above 64, throughput rises further but so does memory (see LargeChunkFileSender).</summary>
    [Range(0, 4096)]
    public int SendChunkKilobytes { get; set; } = 64;

    /// <summary>How long a server uses its in-memory copy of a media index row at most. It is dropped sooner, as soon as the
    /// media version moves (a file changed on either server, seen with the next head poll); zero: always read the database.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan IndexCacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    [Range(0, 31_536_000)]
    public int CacheMaxAgeSeconds { get; set; } = 86_400;

    /// <summary>The Cache-Control of every media answer (the endpoint's and the memory lane's alike).</summary>
    public string CacheControl => $"public, max-age={CacheMaxAgeSeconds}";

    /// <summary>Days a deleted file is kept in the master's trash (DataDirectory/media-trash), restorable from the media
    /// library; 0 deletes at once.</summary>
    [Range(0, 365)]
    public int TrashDays { get; set; } = 7;

    public static readonly IReadOnlySet<string> VideoExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        { ".mp4", ".m4v", ".mov", ".webm", ".ogv", ".3gp", ".avi", ".wmv", ".mpg" };

    public static readonly IReadOnlySet<string> ImageExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        { ".jpg", ".jpeg", ".png", ".gif", ".ico", ".svg", ".webp", ".psd" };

    public long MaxBytesFor(string extension) =>
        VideoExtensions.Contains(extension) ? MaxVideoBytes : ImageExtensions.Contains(extension) ? MaxImageBytes : MaxOtherBytes;
}
