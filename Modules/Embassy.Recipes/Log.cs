using Microsoft.Extensions.Logging;

namespace Embassy.Recipes;

internal static partial class Log
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Recipe {RecipeName} imported: {StepCount} steps in {ElapsedMs} ms")]
    public static partial void RecipeImported(ILogger logger, string recipeName, int stepCount, long elapsedMs);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Recipe {RecipeName} failed at step {StepIndex} '{StepName}', nothing was written: {Reason}")]
    public static partial void RecipeFailed(ILogger logger, string recipeName, int stepIndex, string? stepName, string reason);
}
