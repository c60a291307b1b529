using System.ComponentModel.DataAnnotations;

namespace Embassy.Search;

/// <summary>Embassy:Search — the full-text index every server keeps of its published content.</summary>
public sealed class SearchOptions
{
    public const string Section = "Embassy:Search";

    /// <summary>Off: no index, and /api/v1/search answers 503.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Where the index lives; default: "search" in the data directory.</summary>
    public string? IndexDirectory { get; set; }

    /// <summary>Where Debian's hunspell dictionaries are (pl_PL.aff, pl_PL.dic: package hunspell-pl). Without them Polish
    /// is searched without stemming (a warning at start).</summary>
    public string HunspellDirectory { get; set; } = "/usr/share/hunspell";

    /// <summary>How often the index looks for new entries of the change feed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Change-feed entries the index may be behind before /health/ready warns.</summary>
    [Range(0, 1_000_000)]
    public int MaxLag { get; set; } = 100;
}
