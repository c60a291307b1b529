using Embassy.Testing;

namespace Embassy.Cms.Tests;

/// <summary>
/// #32: a C# file a newcomer can read on a few screens. No file under Modules/ (generated migrations aside) is over 400
/// lines.
/// </summary>
public sealed class SourceSizeTests
{
    private const int MaxLines = 400;

    [Fact]
    public void NoSourceFileInModules_IsOver400Lines()
    {
        var root = Paths.RepositoryRoot;
        var over = Directory.EnumerateFiles(Path.Combine(root, "Modules"), "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/Migrations/", StringComparison.Ordinal))
            .Select(f => (File: f, Lines: File.ReadLines(Path.Combine(root, f)).Count()))
            .Where(f => f.Lines > MaxLines)
            .Select(f => $"{f.File}: {f.Lines} lines")
            .ToList();
        Assert.True(over.Count == 0, $"over {MaxLines} lines (split them):\n" + string.Join('\n', over));
    }
}
