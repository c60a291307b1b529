using Embassy.Core;
using Embassy.Recipes.Steps;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Embassy.Recipes;

public static class RecipesModule
{
    /// <summary>Steps that Orchard knows and that have no meaning in a headless CMS without Orchard's runtime.</summary>
    private static readonly (string Reason, string[] Names)[] NoMeaningHere =
    [
        ("themes and templates are for Orchard's front end; this CMS is headless",
            ["themes", "Templates", "AdminTemplates", "ShortcodeTemplates", "Placements", "layers", "Widgets"]),
        ("search indexes and queries are Orchard runtime features; the mobile API has its own queries",
            ["queries", "lucene-index", "LuceneIndex", "lucene-index-rebuild", "lucene-index-reset", "ElasticIndexSettings", "elastic-index",
             "elastic-index-rebuild", "elastic-index-reset", "azure-ai-index"]),
        ("workflows, deployment plans and admin menus belong to Orchard's admin runtime",
            ["WorkflowType", "deployment", "AdminMenu", "Sitemaps", "UrlRewriting", "OpenIdApplication", "OpenIdScope", "OpenIdServerSettings",
             "OpenIdValidationSettings", "Tenants", "CustomSettings", "custom-settings", "Rules", "Notifications"]),
        ("nested recipes are not run by name; import each recipe file instead", ["recipes"]),
    ];

    public static IHostApplicationBuilder AddRecipesModule(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<RecipeOptions>().BindConfiguration(RecipeOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<RecipeReader>();
        builder.Services.AddSingleton<RecipeExecutor>();
        builder.Services.AddScoped<SiteSettingsStore>();
        builder.Services.AddRecipeStep<SettingsStep>("settings");
        builder.Services.AddRecipeStep<RolesStep>("Roles");
        var registry = Registry(builder.Services);
        foreach (var (reason, names) in NoMeaningHere)
        {
            foreach (var name in names)
            {
                registry.Skip(name, reason);
            }
        }
        return builder;
    }

    /// <summary>Orchard's AddRecipeExecutionStep: the module that knows the step contributes it.</summary>
    public static IServiceCollection AddRecipeStep<TStep>(this IServiceCollection services, string name)
        where TStep : class, IRecipeStep
    {
        var registry = Registry(services);
        registry.Handle(name);
        services.AddKeyedScoped<IRecipeStep, TStep>(registry.HandlerKey(name));
        return services;
    }

    private static RecipeStepRegistry Registry(IServiceCollection services)
    {
        var existing = services.FirstOrDefault(d => d.ServiceType == typeof(RecipeStepRegistry))?.ImplementationInstance;
        if (existing is RecipeStepRegistry registry)
        {
            return registry;
        }
        registry = new RecipeStepRegistry();
        services.TryAddSingleton(registry);
        return registry;
    }
}
