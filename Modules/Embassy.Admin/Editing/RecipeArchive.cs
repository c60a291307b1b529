using System.IO.Compression;
using Embassy.Recipes;

namespace Embassy.Admin.Editing;

/// <summary>A zipped recipe folder, extracted safely: no entry may leave the folder, sizes are bounded.</summary>
public static class RecipeArchive
{
    private const long MaxTotalBytes = 512L * 1024 * 1024;
    private const int MaxEntries = 10_000;

    /// <summary>Extracts into <paramref name="folder"/> and returns the recipe file (the one *.recipe.json, or the only .json).</summary>
    public static async Task<string> ExtractAsync(Stream zip, string folder, string? choose, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var root = Path.GetFullPath(folder) + Path.DirectorySeparatorChar;
        long total = 0;
        try
        {
            await using var archive = new ZipArchive(zip, ZipArchiveMode.Read);
            if (archive.Entries.Count > MaxEntries)
            {
                throw new RecipeException($"the archive has more than {MaxEntries} entries");
            }
            foreach (var entry in archive.Entries)
            {
                var target = Path.GetFullPath(Path.Combine(folder, entry.FullName));
                if (!target.StartsWith(root, StringComparison.Ordinal))
                {
                    throw new RecipeException($"the archive entry '{entry.FullName}' points outside the archive; refused");
                }
                if (entry.FullName.EndsWith('/'))
                {
                    Directory.CreateDirectory(target);
                    continue;
                }
                total += entry.Length;
                if (total > MaxTotalBytes)
                {
                    throw new RecipeException($"the archive unpacks to more than {MaxTotalBytes / 1048576} MB");
                }
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                await entry.ExtractToFileAsync(target, overwrite: false, cancellationToken);
            }
        }
        catch (InvalidDataException ex)
        {
            throw new RecipeException($"the file is not a valid zip archive: {ex.Message}", ex);
        }
        var recipes = Directory.EnumerateFiles(folder, "*.recipe.json", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
        if (!string.IsNullOrWhiteSpace(choose))
        {
            return recipes.Contains(choose.Trim().TrimStart('/'))
                ? Path.Combine(folder, choose.Trim().TrimStart('/'))
                : throw new RecipeException($"the archive has no recipe '{choose}'; it has: {string.Join(", ", recipes)}");
        }
        return recipes.Count switch
        {
            1 => Path.Combine(folder, recipes[0]),
            0 => throw new RecipeException("the archive holds no recipe (*.recipe.json)"),
            _ => throw new RecipeException($"the archive holds several recipes; name the one to import: {string.Join(", ", recipes)}"),
        };
    }
}
