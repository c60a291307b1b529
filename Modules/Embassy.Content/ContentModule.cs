using Embassy.Content.Data;
using Embassy.Content.Recipes;
using Embassy.Content.Services;
using Embassy.Core;
using Embassy.Recipes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Embassy.Content;

public static class ContentModule
{
    public static IHostApplicationBuilder AddContentModule(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IModelContributor, ContentModel>();
        // The part and field kinds the core understands; a module adds one by registering a ContentElements that includes it.
        builder.Services.AddSingleton(Embassy.Content.Elements.ContentElements.Default);
        builder.Services.AddScoped<ContentDefinitionStore>();
        // The definitions version is the change-feed head's: settings and media profiles move it too (DefinitionsWatch).
        builder.Services.AddScoped<IDefinitionsVersion>(sp => sp.GetRequiredService<ContentDefinitionStore>());
        builder.Services.AddScoped<IMediaVersion>(sp => sp.GetRequiredService<ContentDefinitionStore>());
        // What is derived from content, kept by handlers of its changes (in the change's transaction, in this order).
        builder.Services.AddScoped<Embassy.Content.Events.IContentHandler, Embassy.Content.Events.PublishedCulturesHandler>();
        builder.Services.AddScoped<Embassy.Content.Events.IContentHandler, Embassy.Content.Events.ChangeFeedHandler>();
        builder.Services.AddScoped<Embassy.Content.Events.IContentHandler, Embassy.Content.Events.TranslationStepHandler>();
        builder.Services.AddScoped<Embassy.Content.Services.TranslationSteps>();
        builder.Services.AddScoped<Embassy.Content.Preview.PreviewTokens>();
        builder.Services.AddScoped<ContentValidation>();
        builder.Services.AddScoped<ContentRights>();
        builder.Services.AddScoped<ContentManager>();
        // The operations and the steps they share: a new operation is one new class implementing IContentOperation.
        builder.Services.AddScoped<Embassy.Content.Services.Operations.ContentChanges>();
        builder.Services.AddScoped<Embassy.Content.Services.Operations.ContentVersions>();
        foreach (var operation in typeof(ContentModule).Assembly.GetTypes()
                     .Where(t => t is { IsClass: true, IsAbstract: false } && t.IsAssignableTo(typeof(Embassy.Content.Services.Operations.IContentOperation))))
        {
            builder.Services.AddScoped(operation);
        }
        builder.Services.AddScoped<ChangeFeed>();
        builder.Services.AddScoped<PublishedContent>();
        builder.Services.AddScoped<Embassy.Content.Preview.DraftPreview>();
        builder.Services.AddScoped<EditorQueries>();
        builder.Services.AddScoped<RecipeExport>();
        builder.Services.AddOptions<ContentSchedulerOptions>().BindConfiguration(ContentSchedulerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHostedService<ContentScheduler>();
        builder.Services.AddRecipeStep<ContentDefinitionStep>("ContentDefinition");
        builder.Services.AddRecipeStep<ReplaceContentDefinitionStep>("ReplaceContentDefinition");
        builder.Services.AddRecipeStep<DeleteContentDefinitionStep>("DeleteContentDefinition");
        builder.Services.AddRecipeStep<ContentStep>("Content");
        builder.Services.AddRecipeStep<FeatureStep>("feature");
        return builder;
    }
}
