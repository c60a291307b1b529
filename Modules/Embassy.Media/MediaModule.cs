using Embassy.Core;
using Embassy.Media.Data;
using Embassy.Media.Recipes;
using Embassy.Media.Services;
using Embassy.Recipes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Embassy.Media;

public static class MediaModule
{
    public static IHostApplicationBuilder AddMediaModule(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IModelContributor, MediaModel>();
        builder.Services.AddOptions<MediaOptions>().BindConfigurationReplacingLists(MediaOptions.Section).ValidateDataAnnotations().ValidateOnStart();
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
        builder.Services.AddSingleton<MediaRateLimit>();
        builder.Services.AddSingleton<Images.DerivativeBudget>();
        builder.Services.AddSingleton<Images.HeldResponses>();
        builder.Services.AddSingleton<FrontAnswers>();
        return builder;
    }

    private static readonly PathString MediaPrefix = "/media";

    /// <summary>
    /// Ahead of routing, for every /media request: the per-address limit (<see cref="MediaRateLimit"/>, 429 + Retry-After
    /// past it), then a derivative held in memory answered straight away (<see cref="Images.HeldResponses"/>) or, for the
    /// front, a file decided before (<see cref="Services.FrontAnswers"/>); anything
    /// else goes on to the endpoint. Goes after the exception handler, the status pages and TLS, before routing.
    /// </summary>
    public static IApplicationBuilder UseMedia(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var limit = app.ApplicationServices.GetRequiredService<MediaRateLimit>();
        var held = app.ApplicationServices.GetRequiredService<Images.HeldResponses>();
        var sent = app.ApplicationServices.GetRequiredService<FrontAnswers>();
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("Embassy.Media");
        return app.Use((HttpContext context, RequestDelegate next) =>
        {
            if (!context.Request.Path.StartsWithSegments(MediaPrefix))
            {
                return next(context);
            }
            if (!limit.TryTake(RateLimitPolicies.ClientKey(context), out var retryAfter))
            {
                Log.RateLimited(logger, context.Connection.RemoteIpAddress, context.Request.Path);
                return RateLimitPolicies.TooManyRequestsAsync(context, retryAfter, "This address sent too many media requests.");
            }
            // The front sends files itself: not the memo's bytes, the endpoint's X-Accel-Redirect (remembered per file).
            return (FrontSendfile.IsAvailable(context) ? sent.TryServe(context) : held.TryServe(context)) ?? next(context);
        });
    }
}
