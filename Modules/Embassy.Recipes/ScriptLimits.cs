namespace Embassy.Recipes;

/// <summary>What recipe scripts may do and use: which configuration keys they may read, and their limits.</summary>
public sealed record ScriptLimits
{
    /// <summary>Configuration keys <c>configuration()</c> may read (':' or '_' separated); none by default: a recipe is
    /// a file from elsewhere, and the server's configuration holds its secrets.</summary>
    public IReadOnlySet<string> ConfigurationKeys { get; init; } = new HashSet<string>();

    /// <summary>Longest script text (characters).</summary>
    public int MaxScriptLength { get; init; } = 16 * 1024;

    /// <summary>Deepest nesting of brackets in a script (the parser recurses on them).</summary>
    public int MaxNesting { get; init; } = 64;

    /// <summary>Longest value one script may produce (characters of its JSON).</summary>
    public int MaxResultLength { get; init; } = 1024 * 1024;

    /// <summary>Deepest chain of variables that read other variables.</summary>
    public int MaxVariableDepth { get; init; } = 16;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    public long MaxMemoryBytes { get; init; } = 16L * 1024 * 1024;

    public int MaxStatements { get; init; } = 100_000;

    public int MaxRecursion { get; init; } = 64;
}
