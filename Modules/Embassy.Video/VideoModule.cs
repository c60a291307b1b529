using Embassy.Core;
using Embassy.Media;
using Embassy.Video.Data;
using Embassy.Video.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Embassy.Video;

public static class VideoModule
{
    public static IHostApplicationBuilder AddVideoModule(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<VideoOptions>().BindConfiguration(VideoOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IModelContributor, VideoModel>();
        builder.Services.AddSingleton<Ffmpeg>();
        builder.Services.AddSingleton<VideoProcessor>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<VideoProcessor>());
        builder.Services.AddScoped<IMediaStoredHandler, VideoMediaHandler>();
        builder.Services.AddScoped<VideoCatalog>();
        return builder;
    }

    /// <summary>The editors' view of video jobs (master only).</summary>
    public static IEndpointRouteBuilder MapVideoAdmin(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/admin/api/videos").WithTags("Admin").RequireAuthorization(Permissions.ManageMedia);
        group.MapGet("", async (VideoCatalog catalog, CancellationToken ct) => TypedResults.Ok(await catalog.ListAsync(readyOnly: false, ct)))
            .WithSummary("Every video with its processing state, progress and error.");
        group.MapPost("/{id}/retry", async Task<IResult> (string id, VideoCatalog catalog, VideoProcessor processor, CancellationToken ct) =>
            {
                if (!await catalog.RetryAsync(id, ct))
                {
                    return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "No video has this id.");
                }
                processor.Wake();
                return TypedResults.Accepted($"/admin/api/videos");
            })
            .WithSummary("Queues a video's processing again (after a failure).");
        return endpoints;
    }
}
