namespace Embassy.Recipes;

public enum RecipeStepStatus
{
    Applied,
    Skipped,
}

public sealed record RecipeStepOutcome(int Index, string Name, RecipeStepStatus Status, string Message);

public sealed record RecipeResult(string RecipeName, IReadOnlyList<RecipeStepOutcome> Steps, TimeSpan Elapsed);

public sealed record RecipeImportOptions
{
    /// <summary>Values for <c>parameters('…')</c> (Orchard passes AdminUserId and AdminUsername).</summary>
    public IReadOnlyDictionary<string, string?> Parameters { get; init; } = new Dictionary<string, string?>();

    /// <summary>Folder that files named by the recipe must stay within; by default see <see cref="RecipeFiles"/>.</summary>
    public string? FilesRoot { get; init; }

    /// <summary>Told of each step as it finishes (the CLI prints them, the CMI shows them).</summary>
    public IProgress<RecipeStepOutcome>? Progress { get; init; }
}
