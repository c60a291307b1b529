using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Embassy.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Embassy.Recipes;

/// <summary>
/// Imports a recipe: parses it, evaluates each step's scripts and dispatches the step to the module
/// that contributed it. The whole import is one database transaction; if any step fails, nothing is
/// written (and staged files are removed), and the error names the step.
/// </summary>
public sealed class RecipeExecutor(
    IServiceScopeFactory scopeFactory,
    RecipeReader reader,
    RecipeStepRegistry registry,
    IConfiguration configuration,
    Microsoft.Extensions.Options.IOptions<RecipeOptions> recipeOptions,
    ILogger<RecipeExecutor> logger)
{
    public async Task<RecipeResult> ImportFileAsync(string path, RecipeImportOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var fullPath = Path.GetFullPath(path);
        var recipe = await reader.ReadFileAsync(fullPath, cancellationToken);
        var files = new RecipeFiles(Path.GetDirectoryName(fullPath)!, options.FilesRoot);
        var seed = await SHA256.HashDataAsync(File.OpenRead(fullPath), cancellationToken);
        return await ExecuteAsync(recipe, Path.GetFileName(fullPath), files, seed, options, cancellationToken);
    }

    /// <summary>Imports a recipe that is not a file on disk (an upload); files it names resolve under <paramref name="directory"/>.</summary>
    public async Task<RecipeResult> ImportAsync(Stream stream, string name, string directory, RecipeImportOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var recipe = await reader.ReadAsync(stream, name, cancellationToken);
        var seed = SHA256.HashData(Encoding.UTF8.GetBytes(recipe.ToJsonString()));
        return await ExecuteAsync(recipe, name, new RecipeFiles(directory, options.FilesRoot), seed, options, cancellationToken);
    }

    private async Task<RecipeResult> ExecuteAsync(JsonObject recipe, string fileName, RecipeFiles files, byte[] seed,
        RecipeImportOptions options, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var name = (RecipeReader.Property(recipe, "name") as JsonValue)?.ToString() is { Length: > 0 } n ? n : fileName;
        var evaluator = new ScriptEvaluator(RecipeReader.Property(recipe, "variables") as JsonObject, options.Parameters,
            configuration, files, seed, new ScriptLimits
            {
                ConfigurationKeys = recipeOptions.Value.ConfigurationKeys.ToHashSet(StringComparer.Ordinal),
                Timeout = recipeOptions.Value.ScriptTimeout,
            });
        var steps = (JsonArray)RecipeReader.Property(recipe, "steps")!;
        var outcomes = new List<RecipeStepOutcome>();
        var transaction = new RecipeTransaction();

        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EmbassyDbContext>();
        await using var dbTransaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var index = 0;
        string? stepName = null;
        try
        {
            for (; index < steps.Count; index++)
            {
                stepName = null;
                if (steps[index] is not JsonObject step)
                {
                    throw new RecipeException(index, null, "a step must be a JSON object");
                }
                stepName = (RecipeReader.Property(step, "name") as JsonValue)?.ToString();
                if (string.IsNullOrWhiteSpace(stepName))
                {
                    throw new RecipeException(index, null, "the step has no \"name\"");
                }
                var outcome = await ExecuteStepAsync(scope.ServiceProvider, evaluator, files, transaction, index, stepName, step, cancellationToken);
                outcomes.Add(outcome);
                options.Progress?.Report(outcome);
            }
            await dbTransaction.CommitAsync(cancellationToken);
        }
        catch (Exception ex)
        {
            // Rolling back and removing staged files must finish even when the import was cancelled.
            await dbTransaction.RollbackAsync(CancellationToken.None);
            await transaction.RolledBackAsync();
            Log.RecipeFailed(logger, name, index, stepName, ex.Message);
            throw ex switch
            {
                RecipeException { StepIndex: not null } => ex,
                OperationCanceledException => ex,
                _ when index >= steps.Count => new RecipeException($"the import could not be committed: {ex.Message}", ex),
                _ => new RecipeException(index, stepName, Describe(ex), ex),
            };
        }
        await transaction.CommittedAsync();
        Log.RecipeImported(logger, name, steps.Count, stopwatch.ElapsedMilliseconds);
        return new RecipeResult(name, outcomes, stopwatch.Elapsed);
    }

    private async Task<RecipeStepOutcome> ExecuteStepAsync(IServiceProvider services, ScriptEvaluator evaluator, RecipeFiles files,
        RecipeTransaction transaction, int index, string stepName, JsonObject step, CancellationToken cancellationToken)
    {
        var key = registry.HandlerKey(stepName);
        if (key is null)
        {
            var reason = registry.SkipReason(stepName) ?? "unknown step: no module here handles it";
            return new RecipeStepOutcome(index, stepName, RecipeStepStatus.Skipped, reason);
        }
        var evaluated = (JsonObject)evaluator.Evaluate(step, "")!;
        var handler = services.GetRequiredKeyedService<IRecipeStep>(key);
        var message = await handler.ExecuteAsync(new RecipeStepContext(index, stepName, evaluated, files, transaction), cancellationToken);
        return new RecipeStepOutcome(index, stepName, RecipeStepStatus.Applied, message);
    }

    private static string Describe(Exception ex) => ex switch
    {
        DbUpdateException { InnerException: { } inner } => $"the database refused the change: {inner.Message}",
        IOException io => $"file error: {io.Message}",
        _ => ex.Message,
    };
}
