using Embassy.Core;
using Embassy.Media.Data;
using Embassy.Media.Recipes;
using Embassy.Media.Services;
using Embassy.Recipes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;

namespace Embassy.Media;

public static class MediaModule
{
    public static IHostApplicationBuilder AddMediaModule(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IModelContributor, MediaModel>();
        builder.Services.AddOptions<MediaOptions>().BindConfiguration(MediaOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<MediaStore>();
        builder.Services.AddScoped<MediaDeletion>();
        builder.Services.AddSingleton<MediaTrash>();
        builder.Services.AddScoped<MediaRestore>();
        builder.Services.AddScoped<MediaIntake>();
        builder.Services.AddSingleton<MediaIndexCache>();
        builder.Services.AddSingleton<StreamAdmission>();
        builder.Services.AddOptions<Images.ImageOptions>().BindConfiguration(Images.ImageOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.Sizes.All(s => s is > 0 and <= 4096), "Embassy:Media:Images:SupportedSizes must list sizes from 1 to 4096")
            .ValidateOnStart();
        builder.Services.AddSingleton<Images.DerivativeCache>();
        builder.Services.AddSingleton<Images.MediaProfiles>();
        builder.Services.AddSingleton<Images.ImageCatalog>();
        builder.Services.TryAddSingleton<IMediaAvailability, LocalMediaAvailability>();
        builder.Services.AddRecipeStep<MediaStep>("media");
        builder.Services.AddRecipeStep<MediaProfilesStep>("MediaProfiles");
        builder.Services.AddRateLimiter(o => o.AddPolicy(RateLimitPolicies.Media, context =>
        {
            var media = context.RequestServices.GetRequiredService<IOptions<MediaOptions>>().Value;
            return RateLimitPartition.GetTokenBucketLimiter(RateLimitPolicies.ClientKey(context), _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = media.RateLimitBurst,
                TokensPerPeriod = media.RateLimitPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        }));
        return builder;
    }
}
