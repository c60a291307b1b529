namespace Embassy.Recipes;

/// <summary>
/// Resolves files a recipe names (<c>[file:text('...')]</c>, media <c>SourcePath</c>) relative to the
/// recipe's folder, and refuses any that lie outside the recipe's root. The root is the recipe's
/// folder, or its parent when that folder is an Orchard extension's <c>Recipes</c> folder (Orchard
/// resolves against the extension, so <c>../wwwroot/...</c> is legitimate there).
/// </summary>
public sealed class RecipeFiles
{
    public RecipeFiles(string recipeDirectory, string? root = null)
    {
        RecipeDirectory = Path.GetFullPath(recipeDirectory);
        var defaultRoot = string.Equals(Path.GetFileName(RecipeDirectory), "Recipes", StringComparison.OrdinalIgnoreCase)
            ? Path.GetDirectoryName(RecipeDirectory)!
            : RecipeDirectory;
        Root = Path.GetFullPath(root ?? defaultRoot);
    }

    public string RecipeDirectory { get; }

    public string Root { get; }

    /// <summary>The full path of an existing file inside the root; a <see cref="RecipeException"/> otherwise.</summary>
    public string Resolve(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        if (relativePath.Length == 0 || relativePath.Contains('\0', StringComparison.Ordinal))
        {
            throw new RecipeException($"'{relativePath}' is not a file path");
        }
        if (Path.IsPathRooted(relativePath))
        {
            throw new RecipeException($"'{relativePath}' is an absolute path; recipes name files relative to their folder");
        }
        var full = Path.GetFullPath(Path.Combine(RecipeDirectory, relativePath));
        var rootWithSeparator = Root.EndsWith(Path.DirectorySeparatorChar) ? Root : Root + Path.DirectorySeparatorChar;
        if (!full.StartsWith(rootWithSeparator, StringComparison.Ordinal))
        {
            throw new RecipeException($"'{relativePath}' points outside the recipe's folder ({Root}); refused");
        }
        return File.Exists(full) ? full : throw new RecipeException($"file '{relativePath}' does not exist (looked for {full})");
    }
}
