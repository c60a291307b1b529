using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using Embassy.Core;
using Embassy.Recipes;
using Microsoft.AspNetCore.Identity;

namespace Embassy.Cms.Setup;

public sealed class SetupOptions
{
    public const string Section = "Embassy:Setup";

    /// <summary>The recipe imported on first run (relative paths are beside the binary).</summary>
    [Required]
    public string Recipe { get; set; } = "Recipes/embassy.recipe.json";

    /// <summary>
    /// The content imported after <see cref="Recipe"/> on first run: the starter content by default; empty for none (a
    /// production site starts with the model only), or the tests' own content.
    /// </summary>
    public string? ContentRecipe { get; set; } = "Recipes/embassy-content.recipe.json";

    [Required, StringLength(64, MinimumLength = 2)]
    public string AdminUserName { get; set; } = "admin";

    public string? AdminEmail { get; set; }

    /// <summary>The administrator's first password; when empty one is generated and printed once.</summary>
    public string? AdminPassword { get; set; }

    /// <summary>
    /// Run first-run setup (migrations, the administrator, the setup recipe) in a child process of the server's own
    /// executable (<c>Embassy.Cms setup</c>), so that the code it loads (the recipe engine, the script engine, the
    /// migrations) is not kept by the server for its whole life (measured: docs/adr/0003-media-and-video.md). Off: in-process.
    /// </summary>
    public bool SeparateProcess { get; set; } = true;
}

/// <summary>
/// First run on the master: schema migrations, the administrator, the setup recipe. Later runs only
/// migrate; the site's data is never touched again by setup.
/// </summary>
public sealed partial class SetupService(
    IServiceProvider services,
    SiteSettingsStore siteSettings,
    UserManager<IdentityUser> users,
    RecipeExecutor recipes,
    Microsoft.Extensions.Options.IOptions<SetupOptions> options,
    TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<EmbassyOptions> embassy,
    ILogger<SetupService> logger)
{
    public const string AdministratorRole = "Administrator";

    /// <summary>Whether first-run setup (or a migration) is still to do; a database without the schema yet counts as such.</summary>
    public async Task<bool> IsNeededAsync(CancellationToken cancellationToken)
    {
        try
        {
            var db = services.GetRequiredService<Embassy.Core.EmbassyDbContext>();
            return (await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.GetPendingMigrationsAsync(db.Database, cancellationToken)).Any()
                || await siteSettings.GetSetupCompletedAsync(cancellationToken) is null;
        }
        catch (System.Data.Common.DbException)
        {
            return true;
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await HostSetup.MigrateAsync(services, cancellationToken);
        if (await siteSettings.GetSetupCompletedAsync(cancellationToken) is not null)
        {
            return;
        }
        var setup = options.Value;
        var admin = await EnsureAdministratorAsync(setup);
        var parameters = new Dictionary<string, string?> { ["AdminUserId"] = admin.Id, ["AdminUsername"] = admin.UserName };
        foreach (var recipe in new[] { setup.Recipe, setup.ContentRecipe }.Where(r => !string.IsNullOrWhiteSpace(r)))
        {
            var result = await recipes.ImportFileAsync(Path.GetFullPath(recipe!, AppContext.BaseDirectory),
                new RecipeImportOptions { Parameters = parameters }, cancellationToken);
            LogRecipeImported(logger, result.RecipeName, result.Steps.Count);
        }
        await siteSettings.MarkSetupCompletedAsync(clock.GetUtcNow().UtcDateTime, cancellationToken);
    }

    private async Task<IdentityUser> EnsureAdministratorAsync(SetupOptions setup)
    {
        var existing = await users.FindByNameAsync(setup.AdminUserName);
        if (existing is not null)
        {
            return existing;
        }
        var generated = string.IsNullOrEmpty(setup.AdminPassword);
        var password = generated ? GeneratePassword() : setup.AdminPassword!;
        var user = new IdentityUser(setup.AdminUserName) { Email = setup.AdminEmail, EmailConfirmed = setup.AdminEmail is not null };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException(
                $"Embassy:Setup:AdminPassword is refused: {string.Join(" ", created.Errors.Select(e => e.Description))}");
        }
        var roleManager = services.GetRequiredService<RoleManager<IdentityRole>>();
        if (!await roleManager.RoleExistsAsync(AdministratorRole))
        {
            await roleManager.CreateAsync(new IdentityRole(AdministratorRole));
        }
        await users.AddToRoleAsync(user, AdministratorRole);
        if (generated)
        {
            ShowGeneratedPassword(setup.AdminUserName, password);
        }
        return user;
    }

    /// <summary>
    /// The generated password goes to a person, never to a log: printed on an interactive terminal (`dotnet run`), else
    /// (under systemd, whose journal keeps standard output) written to a file only its owner can read, whose path is printed.
    /// </summary>
    private void ShowGeneratedPassword(string userName, string password)
    {
        if (!Console.IsOutputRedirected)
        {
            Console.WriteLine($"""

                ==== Embassy CMS first-run setup ====
                Administrator: {userName}
                Password:      {password}
                Keep it now: it is not shown again. (Set Embassy:Setup:AdminPassword to choose it.)
                =====================================

                """);
            return;
        }
        var file = Path.Combine(embassy.Value.DataDirectory, InitialPasswordFile);
        Directory.CreateDirectory(embassy.Value.DataDirectory);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var writer = new StreamWriter(file, System.Text.Encoding.UTF8, options))
        {
            writer.WriteLine($"Administrator: {userName}");
            writer.WriteLine($"Password: {password}");
        }
        Console.WriteLine($"First-run setup: the administrator '{userName}' was created; the password is in {file} (readable by this user only). " +
            "Sign in, enrol the authenticator, then delete the file.");
    }

    /// <summary>Where the generated first password is written when there is no terminal to print it on.</summary>
    public const string InitialPasswordFile = "initial-admin-password.txt";

    private static string GeneratePassword()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        // Four groups of five, with each required character class guaranteed.
        var chars = RandomNumberGenerator.GetItems<char>(alphabet, 20);
        chars[0] = RandomNumberGenerator.GetItems<char>("ABCDEFGHJKLMNPQRSTUVWXYZ", 1)[0];
        chars[1] = RandomNumberGenerator.GetItems<char>("abcdefghijkmnopqrstuvwxyz", 1)[0];
        chars[2] = RandomNumberGenerator.GetItems<char>("23456789", 1)[0];
        return string.Join('-', chars.Chunk(5).Select(c => new string(c)));
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "First-run setup: recipe {RecipeName} imported ({StepCount} steps)")]
    private static partial void LogRecipeImported(ILogger logger, string recipeName, int stepCount);
}
