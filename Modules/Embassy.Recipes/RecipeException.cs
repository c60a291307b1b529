namespace Embassy.Recipes;

/// <summary>A recipe that cannot be imported. The message names the step (index and name) and what was wrong;
/// nothing of the recipe has been written when this is thrown by the executor.</summary>
public sealed class RecipeException : Exception
{
    public RecipeException(string message) : base(message) { }

    public RecipeException(string message, Exception innerException) : base(message, innerException) { }

    public RecipeException() { }

    public RecipeException(int stepIndex, string? stepName, string message, Exception? innerException = null)
        : base(stepName is null ? $"step {stepIndex}: {message}" : $"step {stepIndex} '{stepName}': {message}", innerException)
    {
        StepIndex = stepIndex;
        StepName = stepName;
    }

    /// <summary>Zero-based index of the failing step, or null when the recipe as a whole is at fault.</summary>
    public int? StepIndex { get; }

    public string? StepName { get; }
}
