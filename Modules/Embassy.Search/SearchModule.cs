using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Embassy.Search;

public static class SearchModule
{
    /// <summary>This server's full-text index of its published content, following its change feed.</summary>
    public static IHostApplicationBuilder AddSearchModule(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<SearchOptions>().BindConfiguration(SearchOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<SearchIndex>();
        builder.Services.AddScoped<SearchFeeder>();
        builder.Services.AddSingleton<SearchIndexer>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SearchIndexer>());
        builder.Services.AddScoped<Embassy.Core.IReadinessContributor, SearchReadiness>();
        return builder;
    }
}
