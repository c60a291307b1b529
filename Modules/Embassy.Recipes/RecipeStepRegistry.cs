namespace Embassy.Recipes;

/// <summary>Which step names do something here and which are known to have no meaning here (and why).</summary>
public sealed class RecipeStepRegistry
{
    private readonly Dictionary<string, string> _handled = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _skipped = new(StringComparer.OrdinalIgnoreCase);

    internal void Handle(string name) => _handled[name] = name.ToUpperInvariant();

    internal void Skip(string name, string reason) => _skipped[name] = reason;

    /// <summary>The service key of the step's handler, or null.</summary>
    public string? HandlerKey(string name) => _handled.GetValueOrDefault(name);

    public string? SkipReason(string name) => _skipped.GetValueOrDefault(name);

    public IEnumerable<string> HandledSteps => _handled.Keys.Order(StringComparer.OrdinalIgnoreCase);
}
