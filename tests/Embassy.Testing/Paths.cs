namespace Embassy.Testing;

public static class Paths
{
    /// <summary>The repository root (the folder that holds Embassy.sln).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>../shared/recipes/orchard beside the repository: Orchard's own recipes, the compatibility corpus.</summary>
    public static string OrchardRecipes => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "recipes", "orchard"));

    public static string EmbassyRecipe => Path.Combine(RepositoryRoot, "Recipes", "embassy.recipe.json");

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Embassy.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("Embassy.sln not found above " + AppContext.BaseDirectory);
    }
}
