using Embassy.Admin.Security;
using Embassy.Admin.Localization;
using System.Text;
using System.Text.Json;
using Embassy.Admin.Editing;
using Embassy.Content.Services;
using Embassy.Core;
using Embassy.Recipes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Embassy.Admin.Pages.Admin;

/// <summary>Recipes in the browser: import (per-step results, or the error and nothing imported) and export.</summary>
[Authorize(Policy = Permissions.ImportRecipes)]
[RequireRecentSignIn]
public sealed class RecipesModel(RecipeExecutor recipes, UserManager<IdentityUser> users, IOptions<EmbassyOptions> embassy, AuditLog audit) : PageModel
{
    public RecipeResult? Result { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnPostAsync(IFormFile? recipe, string? recipePath, CancellationToken cancellationToken)
    {
        if (recipe is null || recipe.Length == 0)
        {
            Error = this.Say("Choose a recipe file to import.");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var admin = await users.GetUserAsync(User);
        var options = new RecipeImportOptions
        {
            Parameters = new Dictionary<string, string?> { ["AdminUserId"] = admin?.Id, ["AdminUsername"] = admin?.UserName },
        };
        var folder = Path.Combine(embassy.Value.StagingDirectory, $"recipe-{Guid.NewGuid():N}");
        try
        {
            await using var stream = recipe.OpenReadStream();
            if (recipe.FileName.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            {
                // A zipped recipe folder (an Orchard extension): the recipe and the files it names, which stay confined to it.
                var file = await RecipeArchive.ExtractAsync(stream, folder, recipePath, cancellationToken);
                Result = await recipes.ImportFileAsync(file, options with { FilesRoot = folder }, cancellationToken);
            }
            else
            {
                // A single recipe file has no folder: files it names cannot be found (zip the folder instead).
                Directory.CreateDirectory(folder);
                Result = await recipes.ImportAsync(stream, Path.GetFileName(recipe.FileName), folder, options, cancellationToken);
            }
            await audit.WriteAsync("recipe.import", Path.GetFileName(recipe.FileName), $"{Result.RecipeName}: {Result.Steps.Count} steps", cancellationToken);
        }
        catch (RecipeException ex)
        {
            Error = ex.Message;
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        return Page();
    }
}

/// <summary>GET /admin/recipes/export: the site as a recipe file.</summary>
[Authorize(Policy = Permissions.ImportRecipes)]
public sealed class RecipeExportModel(RecipeExport export) : PageModel
{
    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var recipe = await export.ExportAsync($"Embassy export {DateTime.UtcNow:yyyy-MM-dd HH:mm}", cancellationToken);
        var bytes = Encoding.UTF8.GetBytes(recipe.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return File(bytes, "application/json", $"embassy-export-{DateTime.UtcNow:yyyyMMdd-HHmm}.recipe.json");
    }
}
