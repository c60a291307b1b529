using System.Text.Json.Nodes;
using Embassy.Content.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Embassy.Content;

public static class ContentEndpoints
{
    /// <summary>Orchard's content API: <c>GET /api/content/{contentItemId}</c> returns the published version in Orchard's shape.</summary>
    public static IEndpointRouteBuilder MapContentApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/content/{contentItemId}", GetPublished)
            .WithName("GetPublishedContentItem")
            .WithSummary("The published version of a content item, in Orchard Core's JSON shape (404 when none).")
            .WithTags("Content")
            .RequireRateLimiting(Embassy.Core.RateLimitPolicies.PublicApi);
        return endpoints;
    }

    private static async Task<Results<Ok<JsonObject>, NotFound>> GetPublished(string contentItemId, ContentManager contentManager,
        CancellationToken cancellationToken) =>
        contentItemId.Length <= 64 && await contentManager.GetPublishedAsync(contentItemId, cancellationToken) is { } item
            ? TypedResults.Ok(item.ToOrchardJson())
            : TypedResults.NotFound();
}
