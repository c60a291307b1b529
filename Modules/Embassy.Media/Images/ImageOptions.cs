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
}
