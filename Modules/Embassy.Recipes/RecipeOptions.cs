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
}
