using System.Text.Json.Nodes;

namespace Embassy.Recipes;

/// <summary>A recipe step a module contributes (Orchard's IRecipeStepHandler). Returns a one-line summary of what it did.</summary>
public interface IRecipeStep
{
    Task<string> ExecuteAsync(RecipeStepContext context, CancellationToken cancellationToken);
}

/// <summary>What a step sees: its JSON (scripts already evaluated), the recipe's files, and hooks on the import's outcome.</summary>
public sealed class RecipeStepContext
{
    internal RecipeStepContext(int index, string name, JsonObject step, RecipeFiles files, RecipeTransaction transaction)
    {
        Index = index;
        Name = name;
        Step = step;
        Files = files;
        Transaction = transaction;
    }

    public int Index { get; }

    public string Name { get; }

    public JsonObject Step { get; }

    public RecipeFiles Files { get; }

    public RecipeTransaction Transaction { get; }

    /// <summary>A property of the step, matched without regard to case (as Orchard does).</summary>
    public JsonNode? Property(string name) => RecipeReader.Property(Step, name);
}

/// <summary>
/// Work outside the database that must follow the import's fate: a step that stages files registers
/// how to put them in place once the database commits, and how to remove them if it does not.
/// </summary>
public sealed class RecipeTransaction
{
    private readonly List<Func<Task>> _onCommitted = [];
    private readonly List<Func<Task>> _onRolledBack = [];

    public void OnCommitted(Func<Task> action) => _onCommitted.Add(action);

    public void OnRolledBack(Func<Task> action) => _onRolledBack.Add(action);

    internal async Task CommittedAsync()
    {
        foreach (var action in _onCommitted)
        {
            await action();
        }
    }

    internal async Task RolledBackAsync()
    {
        foreach (var action in _onRolledBack)
        {
            await action();
        }
    }
}
