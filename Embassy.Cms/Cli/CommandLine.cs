using Embassy.Core;
using Embassy.Recipes;
using Microsoft.Extensions.Options;

namespace Embassy.Cms.Cli;

/// <summary>
/// <c>Embassy.Cms recipes import FILE [--root DIR]</c>: imports a recipe, prints each step, exits non-zero on failure.
/// <c>Embassy.Cms setup</c>: migrates the database and, on first run, sets the site up (the server runs it as a child
/// process on its first start); any further arguments are the server's own and are ignored.
/// <c>Embassy.Cms webhooks secret</c>: prints a new Standard Webhooks secret (whsec_…) for Embassy:Webhooks:Endpoints:N:Secret.
/// <c>Embassy.Cms search rebuild</c>: builds this server's search index again from its database (progress shown); a
/// running server switches to the new index when it is complete.
/// </summary>
internal static class CommandLine
{
    public const string SetupCommand = "setup";
    private const string Usage = "usage: Embassy.Cms recipes import FILE [--root DIR] | Embassy.Cms setup | Embassy.Cms webhooks secret | Embassy.Cms search rebuild";

    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] is "recipes" or "webhooks" or "search" or SetupCommand;

    private static async Task<int> RebuildSearchAsync(IServiceProvider services)
    {
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancellation.Cancel(); };
        var index = services.GetRequiredService<Embassy.Search.SearchIndex>();
        try
        {
            await using var scope = services.CreateAsyncScope();
            var feeder = scope.ServiceProvider.GetRequiredService<Embassy.Search.SearchFeeder>();
            var watch = System.Diagnostics.Stopwatch.StartNew();
            Console.WriteLine($"Loading the analyzers (Polish stemming: {(index.Analyzers.PolishStemming ? "hunspell" : "off, no dictionary")}) …");
            var head = await feeder.HeadAsync(cancellation.Token);
            Console.WriteLine($"Indexing the published items at change-feed sequence {head} into {index.Root}");
            var master = services.GetRequiredService<IOptions<EmbassyOptions>>().IsMaster();
            var count = await index.BuildAsync(feeder.AllAsync(master, cancellation.Token), head,
                services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime.Ticks,
                new Progress<int>(n => Console.WriteLine($"  {n} items, {watch.Elapsed.TotalSeconds:0.0} s")), cancellation.Token);
            Console.WriteLine($"Search index rebuilt: {count} items in {watch.Elapsed.TotalSeconds:0.0} s. A running server switches to it within a second.");
            return 0;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("cancelled: the index in use is unchanged.");
            return 130;
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.Data.Common.DbException or Microsoft.EntityFrameworkCore.DbUpdateException)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}\nThe index in use is unchanged.");
            return 1;
        }
        finally
        {
            index.Dispose();
        }
    }

    public static async Task<int> RunAsync(IHost host, string[] args)
    {
        if (args[0] == SetupCommand)
        {
            return await SetupAsync(host.Services);
        }
        if (args[0] == "search")
        {
            if (args is not [_, "rebuild"])
            {
                await Console.Error.WriteLineAsync(Usage);
                return 2;
            }
            return await RebuildSearchAsync(host.Services);
        }
        if (args[0] == "webhooks")
        {
            if (args is not [_, "secret"])
            {
                await Console.Error.WriteLineAsync(Usage);
                return 2;
            }
            Console.WriteLine(Embassy.Notifications.Webhooks.WebhookSigning.NewSecret());
            return 0;
        }
        if (args.Length < 3 || args[1] != "import")
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }
        var file = FromInvocationDirectory(args[2]);
        string? root = null;
        for (var i = 3; i < args.Length; i++)
        {
            if (args[i] == "--root" && i + 1 < args.Length)
            {
                root = FromInvocationDirectory(args[++i]);
            }
            else
            {
                await Console.Error.WriteLineAsync($"unknown option '{args[i]}'\n{Usage}");
                return 2;
            }
        }
        var services = host.Services;
        if (!services.GetRequiredService<IOptions<EmbassyOptions>>().IsMaster())
        {
            await Console.Error.WriteLineAsync("error: this server is a standby (Embassy:Role=Standby); import recipes on the master.");
            return 1;
        }
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancellation.Cancel(); };
        try
        {
            // A fresh site is set up first, exactly as the server would on its first start.
            await using (var scope = services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<Setup.SetupService>().RunAsync(cancellation.Token);
            }
            var executor = services.GetRequiredService<RecipeExecutor>();
            var parameters = await AdministratorParametersAsync(services);
            Console.WriteLine($"Importing {Path.GetFullPath(file)}");
            var result = await executor.ImportFileAsync(file, new RecipeImportOptions
            {
                FilesRoot = root,
                Parameters = parameters,
                Progress = new ConsoleProgress(),
            }, cancellation.Token);
            var skipped = result.Steps.Count(s => s.Status == RecipeStepStatus.Skipped);
            Console.WriteLine($"Imported '{result.RecipeName}': {result.Steps.Count - skipped} steps applied, {skipped} skipped, in {result.Elapsed.TotalSeconds:0.00} s.");
            return 0;
        }
        catch (RecipeException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}\nNothing was imported: the database and the media folder are as they were.");
            return 1;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("cancelled: nothing was imported.");
            return 130;
        }
    }

    private static async Task<int> SetupAsync(IServiceProvider services)
    {
        if (!services.GetRequiredService<IOptions<EmbassyOptions>>().IsMaster())
        {
            await Console.Error.WriteLineAsync("error: this server is a standby (Embassy:Role=Standby): the master sets the site up, and it replicates.");
            return 1;
        }
        try
        {
            await Embassy.Cluster.ClusterModule.VerifyRoleAsync(services, CancellationToken.None);
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<Setup.SetupService>().RunAsync(CancellationToken.None);
            return 0;
        }
        catch (Exception ex) when (ex is RecipeException or InvalidOperationException or System.Data.Common.DbException or IOException)
        {
            await Console.Error.WriteLineAsync($"error: first-run setup failed: {ex.Message}");
            return 1;
        }
    }

    /// <summary>parameters('AdminUserId') and parameters('AdminUsername'), as Orchard gives them: the administrator's.</summary>
    private static async Task<Dictionary<string, string?>> AdministratorParametersAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var name = scope.ServiceProvider.GetRequiredService<IOptions<Setup.SetupOptions>>().Value.AdminUserName;
        var admin = await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Microsoft.AspNetCore.Identity.IdentityUser>>().FindByNameAsync(name);
        return new() { ["AdminUserId"] = admin?.Id, ["AdminUsername"] = admin?.UserName };
    }

    /// <summary>
    /// `dotnet run --project Embassy.Cms` starts the program in the project's folder, not where the user
    /// typed the command; the shell's PWD still names that folder, so relative paths resolve against it.
    /// </summary>
    private static string FromInvocationDirectory(string path)
    {
        var invocation = Environment.GetEnvironmentVariable("PWD");
        var baseDirectory = invocation is { Length: > 0 } && Directory.Exists(invocation) ? invocation : Environment.CurrentDirectory;
        return Path.GetFullPath(path, baseDirectory);
    }

    /// <summary>Synchronous on purpose: Progress&lt;T&gt; would post to the thread pool and print out of order.</summary>
    private sealed class ConsoleProgress : IProgress<RecipeStepOutcome>
    {
        public void Report(RecipeStepOutcome value) =>
            Console.WriteLine($"  [{value.Index}] {value.Name,-26} {(value.Status == RecipeStepStatus.Applied ? "applied" : "skipped")}: {value.Message}");
    }
}
