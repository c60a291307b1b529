using System.ComponentModel.DataAnnotations;

namespace Embassy.Media.Images;

/// <summary>Image transforms on /media (width, height, rmode …, profile): what may be asked and what it may cost.</summary>
public sealed class ImageOptions
{
    public const string Section = "Embassy:Media:Images";

    /// <summary>
    /// The widths and heights a request may ask for (Orchard Core's default supported sizes). Anything else is a 400, so
    /// that no one can make a variant per pixel; media profiles (set by administrators) may use other sizes.
    /// Configuring the list replaces the default (e.g. <c>Embassy__Media__Images__SupportedSizes__0=320</c>, …).
    /// </summary>
    public int[]? SupportedSizes { get; set; }

    public static readonly int[] DefaultSupportedSizes = [16, 32, 50, 100, 160, 240, 480, 600, 1024, 2048];

    /// <summary>The sizes in force: the configured list, else Orchard's default.</summary>
    public IReadOnlyList<int> Sizes => SupportedSizes is { Length: > 0 } configured ? configured : DefaultSupportedSizes;

    /// <summary>The qualities a request may ask for (besides <see cref="DefaultQuality"/>); anything else is a 400. Configuring
    /// the list replaces the default. Media profiles may use any quality.</summary>
    public int[]? SupportedQualities { get; set; }

    public static readonly int[] DefaultSupportedQualities = [50, 60, 70, 75, 80, 85, 90, 95, 100];

    public IReadOnlyList<int> Qualities => SupportedQualities is { Length: > 0 } configured ? configured : DefaultSupportedQualities;

    /// <summary>The padding colours a request may ask for with <c>bgcolor</c> (names, or RGB/RRGGBB/RRGGBBAA hex); anything
    /// else is a 400, so that nobody makes a derivative per colour. Configuring the list replaces the default. Media
    /// profiles may use any colour.</summary>
    public string[]? SupportedBackgrounds { get; set; }

    public static readonly string[] DefaultSupportedBackgrounds = ["white", "black", "transparent"];

    public IReadOnlyList<string> Backgrounds => SupportedBackgrounds is { Length: > 0 } configured ? configured : DefaultSupportedBackgrounds;

    /// <summary>Derivatives one client address may have made (not served from the cache) per minute; past it, 429 with
    /// Retry-After. Served derivatives cost nothing against it. 0 turns it off.</summary>
    [Range(0, 1_000_000)]
    public int NewDerivativesPerMinute { get; set; } = 120;

    /// <summary>Images with more pixels than this (decompression bombs) are refused at upload and never decoded.</summary>
    [Range(1_000_000, 500_000_000)]
    public long MaxPixels { get; set; } = 50_000_000;

    /// <summary>Transforms running at once; more wait up to <see cref="QueueTimeout"/>, then get 503 with Retry-After.</summary>
    [Range(1, 256)]
    public int MaxConcurrentTransforms { get; set; } = Math.Max(2, Environment.ProcessorCount);

    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan QueueTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Where derivatives are kept (relative paths are inside the data directory); never synced between servers.</summary>
    [Required]
    public string CacheDirectory { get; set; } = "image-cache";

    /// <summary>The derivative cache's size; past it the least recently used derivatives are deleted.</summary>
    [Range(1, 1_000_000)]
    public int CacheMegabytes { get; set; } = 1024;

    /// <summary>Of the cache, how much small derivatives (up to 256 KB each) may also take in memory, served without opening a file.</summary>
    [Range(0, 4096)]
    public int MemoryCacheMegabytes { get; set; } = 64;

    /// <summary>JPEG and WebP quality when a request or profile does not give one.</summary>
    [Range(1, 100)]
    public int DefaultQuality { get; set; } = 82;

    /// <summary>Keep uploaded pictures as they came, EXIF (GPS position, camera) and XMP included; off by default, so that
    /// originals are stored and served without them (derivatives never carry them either way).</summary>
    public bool KeepMetadata { get; set; }
}
