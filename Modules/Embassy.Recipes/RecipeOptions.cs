using System.ComponentModel.DataAnnotations;

namespace Embassy.Recipes;

public sealed class RecipeOptions
{
    public const string Section = "Embassy:Recipes";

    /// <summary>Largest recipe file accepted (media as Base64 makes recipes big; 32 MiB by default).</summary>
    [Range(1024, 1L << 31)]
    public long MaxSizeBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>Deepest JSON nesting accepted. Orchard's own recipes stay under 20.</summary>
    [Range(16, 1000)]
    public int MaxDepth { get; set; } = 128;

    /// <summary>Configuration keys a recipe's <c>configuration('key')</c> may read; none by default (a recipe would
    /// otherwise read the connection string or the cluster's sync secret). Other keys read as unset.</summary>
    public List<string> ConfigurationKeys { get; set; } = [];

    /// <summary>How long one recipe script may run.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan ScriptTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
