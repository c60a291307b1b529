using Microsoft.AspNetCore.Http;
using Embassy.Cms.Setup;
using Embassy.Core;
using Embassy.Data;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace Embassy.Cms;

internal static class HostSetup
{
    /// <summary>appsettings.Master.json / appsettings.Standby.json live at the repository root and are copied beside the binary.</summary>
    public static WebApplicationBuilder AddRoleConfiguration(this WebApplicationBuilder builder)
    {
        var environment = builder.Environment.EnvironmentName;
        if (environment is not ("Master" or "Standby"))
        {
            return builder;
        }
        // After appsettings.{env}.json, before user secrets, environment variables and the command line,
        // so that those still override the role file.
        var sources = builder.Configuration.Sources;
        var envFile = sources.OfType<JsonConfigurationSource>().LastOrDefault(s => s.Path == $"appsettings.{environment}.json");
        var index = envFile is null ? Math.Min(1, sources.Count) : sources.IndexOf(envFile) + 1;
        sources.Insert(index, new JsonConfigurationSource
        {
            FileProvider = new PhysicalFileProvider(AppContext.BaseDirectory),
            Path = $"appsettings.{environment}.json",
            Optional = false,
        });
        return builder;
    }

    public static WebApplicationBuilder AddHostServices(this WebApplicationBuilder builder)
    {
        // The exception handler clears the response: an error's problem details get the security headers again.
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c => Embassy.Cms.Hosting.SecurityHeaders.Apply(c.HttpContext.Response.Headers));
        builder.Services.AddSingleton<IProblemDetailsWriter, Embassy.Cms.Hosting.JsonProblemWriter>(); // after the default: Accept without JSON
        builder.Services.AddExceptionHandler<Embassy.Cms.Hosting.DatabaseUnavailable>();
        builder.Services.AddOptions<SetupOptions>().BindConfiguration(SetupOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<SetupService>();
        return builder;
    }

    /// <summary>Before the first request: the database must suit the role; the master migrates and, on first run, sets the site up.</summary>
    public static async Task InitializeAsync(this WebApplication app)
    {
        var writable = await Embassy.Cluster.ClusterModule.VerifyRoleAsync(app.Services, app.Lifetime.ApplicationStopping);
        await using var scope = app.Services.CreateAsyncScope();
        if (scope.ServiceProvider.GetRequiredService<IOptions<EmbassyOptions>>().IsMaster())
        {
            var setup = scope.ServiceProvider.GetRequiredService<SetupService>();
            if (!writable)
            {
                if (await setup.IsNeededAsync(app.Lifetime.ApplicationStopping))
                {
                    throw new InvalidOperationException(
                        "Embassy:Role is Master but its database is read-only (read_only=1) and has migrations or first-run setup to do: " +
                        "make it writable first (embassy-ctl claim; deploy/RUNBOOK.md), or point ConnectionStrings:Default at the primary.");
                }
                // Serve reads now; writes are refused with the reason (logged by the writer monitor) until embassy-ctl watch
                // makes the database writable.
                return;
            }
            if (scope.ServiceProvider.GetRequiredService<IOptions<SetupOptions>>().Value.SeparateProcess && SetupProcess.CanStart &&
                await setup.IsNeededAsync(app.Lifetime.ApplicationStopping))
            {
                await SetupProcess.RunAsync(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<SetupService>(), app.Lifetime.ApplicationStopping);
            }
            await setup.RunAsync(app.Lifetime.ApplicationStopping); // after the child: finds everything done
        }
        // Migrations, setup and a first-run recipe leave garbage behind; hand its memory back before serving.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    internal static Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        DatabaseModule.MigrateAsync(services.GetRequiredService<EmbassyDbContext>(), cancellationToken);
}
