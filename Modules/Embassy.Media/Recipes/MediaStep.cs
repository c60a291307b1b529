using System.Text.Json.Nodes;
using Embassy.Media.Services;
using Embassy.Recipes;

namespace Embassy.Media.Recipes;

/// <summary>
/// media: files from <c>SourcePath</c> (relative to the recipe) or <c>Base64</c> into the media store, through the
/// same intake as uploads (<see cref="MediaIntake"/>: allowed extensions, signatures, size limits, reserved folders,
/// video packaging). Files are staged and indexed in the import's transaction and moved into place only after it
/// commits; a failed import removes them, so the media folder is left exactly as it was.
/// </summary>
internal sealed class MediaStep(MediaStore store, MediaIntake intake, MediaIndexCache index) : IRecipeStep
{
    public async Task<string> ExecuteAsync(RecipeStepContext context, CancellationToken cancellationToken)
    {
        if (context.Property("Files") is not JsonArray files)
        {
            throw new RecipeException("a media step needs a \"Files\" array");
        }
        var written = 0;
        for (var i = 0; i < files.Count; i++)
        {
            if (files[i] is not JsonObject file)
            {
                throw new RecipeException($"Files[{i}] must be an object with TargetPath and SourcePath or Base64");
            }
            var (target, refusal) = intake.CheckPath((file["TargetPath"] as JsonValue)?.ToString());
            if (target is null)
            {
                throw new RecipeException($"Files[{i}].TargetPath: {Describe(refusal!)}");
            }
            StagedFile? staged;
            await using (var source = OpenSource(context, file, i))
            {
                (staged, refusal) = await intake.StageAsync(target, source, cancellationToken);
            }
            if (staged is null)
            {
                throw new RecipeException($"Files[{i}] ({target}): {Describe(refusal!)}");
            }
            var existing = await store.FindAsync(target, cancellationToken);
            if (existing is not null && existing.Sha256 == staged.Sha256 && File.Exists(store.FullPath(target)))
            {
                MediaStore.Discard(staged);
                continue;
            }
            context.Transaction.OnRolledBack(() => { MediaStore.Discard(staged); return Task.CompletedTask; });
            context.Transaction.OnCommitted(() => { store.Place(staged, target); index.Forget(target); return Task.CompletedTask; });
            await intake.IndexAsync(target, staged, cancellationToken);
            written++;
        }
        return $"{files.Count} media files: {written} written, {files.Count - written} unchanged";
    }

    private static string Describe(MediaRefusal refusal) =>
        refusal.Status == Microsoft.AspNetCore.Http.StatusCodes.Status400BadRequest ? refusal.Detail : $"{refusal.Title}: {refusal.Detail}";

    private static Stream OpenSource(RecipeStepContext context, JsonObject file, int index)
    {
        if ((file["SourcePath"] as JsonValue)?.ToString() is { } sourcePath)
        {
            try
            {
                return File.OpenRead(context.Files.Resolve(sourcePath));
            }
            catch (RecipeException ex)
            {
                throw new RecipeException($"Files[{index}].SourcePath: {ex.Message}", ex);
            }
        }
        if ((file["Base64"] as JsonValue)?.ToString() is { } base64)
        {
            try
            {
                return new MemoryStream(Convert.FromBase64String(base64));
            }
            catch (FormatException ex)
            {
                throw new RecipeException($"Files[{index}].Base64 is not valid Base64", ex);
            }
        }
        throw new RecipeException($"Files[{index}] needs a SourcePath or a Base64");
    }
}
