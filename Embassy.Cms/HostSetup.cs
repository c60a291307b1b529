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
        builder.Services.AddProblemDetails();
        builder.Services.AddOptions<SetupOptions>().BindConfiguration(SetupOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<SetupService>();
        return builder;
    }

    /// <summary>Before the first request: the master migrates and, on first run, sets the site up.</summary>
    public static async Task InitializeAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        if (scope.ServiceProvider.GetRequiredService<IOptions<EmbassyOptions>>().IsMaster())
        {
            await scope.ServiceProvider.GetRequiredService<SetupService>().RunAsync(app.Lifetime.ApplicationStopping);
        }
    }

    public static void MapHealth(this WebApplication app)
    {
        app.MapGet("/health/live", (IOptions<EmbassyOptions> options) =>
                TypedResults.Ok(new { status = "Healthy", role = options.Value.Role.ToString() }))
            .WithSummary("The process answers.");
        app.MapGet("/health/ready", async Task<IResult> (EmbassyDbContext db, IOptions<EmbassyOptions> options, CancellationToken ct) =>
            {
                var canConnect = await db.Database.CanConnectAsync(ct);
                var body = new { status = canConnect ? "Healthy" : "Unhealthy", role = options.Value.Role.ToString(), database = canConnect };
                return canConnect ? TypedResults.Ok(body) : TypedResults.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
            })
            .WithSummary("The server can serve: its database answers.");
    }

    internal static Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        DatabaseModule.MigrateAsync(services.GetRequiredService<EmbassyDbContext>(), cancellationToken);
}
