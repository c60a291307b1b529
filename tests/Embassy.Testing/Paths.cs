namespace Embassy.Testing;

public static class Paths
{
    /// <summary>The repository root (the folder that holds Embassy.sln).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>tests/corpus/orchard: Orchard Core's own recipes, the compatibility corpus (a copy of the team's ../shared/recipes/orchard, see its SOURCE.md).</summary>
    public static string OrchardRecipes => Path.Combine(RepositoryRoot, "tests", "corpus", "orchard");

    /// <summary>tests/tools/range-check.sh: HTTP range and validator semantics (a copy of the team's ../shared/bench/range-check.sh).</summary>
    public static string RangeCheck => Path.Combine(RepositoryRoot, "tests", "tools", "range-check.sh");

    /// <summary>Recipes/embassy.recipe.json: the embassy's content model, settings and roles.</summary>
    public static string EmbassyRecipe => Path.Combine(RepositoryRoot, "Recipes", "embassy.recipe.json");

    /// <summary>Recipes/embassy-content.recipe.json: the product's starter content (only the setup tests read it).</summary>
    public static string StarterContentRecipe => Path.Combine(RepositoryRoot, "Recipes", "embassy-content.recipe.json");

    /// <summary>tests/Embassy.Testing/Recipes/test-content.recipe.json: the content every test site starts with (<see cref="TestContent"/>).</summary>
    public static string TestContentRecipe => Path.Combine(RepositoryRoot, "tests", "Embassy.Testing", "Recipes", "test-content.recipe.json");

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
