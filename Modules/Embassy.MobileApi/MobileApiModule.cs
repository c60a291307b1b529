using System.Threading.RateLimiting;
using Embassy.MobileApi.Caching;
using Embassy.MobileApi.Endpoints;
using Embassy.MobileApi.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace Embassy.MobileApi;

public static class MobileApiModule
{
    private const string RateLimitPolicy = Embassy.Core.RateLimitPolicies.PublicApi;
    private const string CorsPolicy = "mobile-api";

    public static IHostApplicationBuilder AddMobileApiModule(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<MobileApiOptions>().BindConfiguration(MobileApiOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.DefaultPageSize <= o.MaxPageSize, "MobileApi:DefaultPageSize must not exceed MobileApi:MaxPageSize.")
            .Validate(o => o.Fallback.Keys.All(o.Cultures.Contains) && o.Fallback.Values.All(l => l.All(o.Cultures.Contains)),
                "MobileApi:Fallback may only name cultures listed in MobileApi:Cultures.")
            .ValidateOnStart();
        builder.Services.AddSingleton<ContentHeadWatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ContentHeadWatcher>());
        builder.Services.AddSingleton<ApiResponseCache>();
        builder.Services.AddSingleton<ItemFragmentCache>();
        builder.Services.AddSingleton<ApiSchemaProvider>();
        builder.Services.AddOpenApi("v1", o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Embassy CMS mobile API";
            document.Info.Description = "Published content of the US Embassy Mission Poland app: lists, items, delta sync, types and cultures.";
            return Task.CompletedTask;
        }));
        builder.Services.AddCors(o => o.AddPolicy(CorsPolicy, policy =>
        {
            var origins = builder.Configuration.GetSection($"{MobileApiOptions.Section}:CorsOrigins").Get<string[]>() ?? [];
            policy.WithOrigins(origins).WithMethods("GET", "HEAD").WithHeaders("If-None-Match", "Accept-Language").WithExposedHeaders("ETag", "Content-Language");
        }));
        builder.Services.AddRateLimiter(o =>
        {
            o.AddPolicy(RateLimitPolicy, context =>
            {
                var api = context.RequestServices.GetRequiredService<IOptions<MobileApiOptions>>().Value;
                return RateLimitPartition.GetTokenBucketLimiter(Embassy.Core.RateLimitPolicies.ClientKey(context), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = api.RateLimitBurst,
                    TokensPerPeriod = api.RateLimitPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            o.OnRejected = async (context, cancellationToken) =>
            {
                var http = context.HttpContext;
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Embassy.MobileApi");
                Log.RateLimited(logger, http.Connection.RemoteIpAddress, http.Request.Path);
                await Embassy.Core.RateLimitPolicies.TooManyRequestsAsync(http, retryAfter, "This address sent too many requests.");
            };
        });
        return builder;
    }

    /// <summary>The middleware the API needs (rate limiting, CORS), before the endpoints.</summary>
    public static WebApplication UseMobileApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseCors();
        app.UseRateLimiter();
        return app;
    }

    public static IEndpointRouteBuilder MapMobileApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var api = endpoints.MapGroup("/api/v1").WithTags("Mobile API").RequireRateLimiting(RateLimitPolicy).RequireCors(CorsPolicy)
            .AddEndpointFilter(async (context, next) =>
            {
                var max = context.HttpContext.RequestServices.GetRequiredService<IOptions<MobileApiOptions>>().Value.MaxQueryLength;
                return context.HttpContext.Request.QueryString.Value?.Length > max
                    ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["query"] = [$"the query string is longer than {max} characters."] })
                    : await next(context);
            })
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        api.MapGet("/content/{type}", ContentListEndpoint.HandleAsync)
            .WithName("ListContent")
            .WithSummary("A page of published items of one type.")
            .WithDescription("Query: culture (or Accept-Language), limit (default 20, max 100), cursor (the previous page's next), " +
                             "order (published, or the type's natural order: start or order), upcoming/active=true (items not yet ended), fields (comma-separated).")
            .Produces<ContentListDocument>();
        api.MapGet("/items/{id}", ItemEndpoints.ByIdAsync)
            .WithName("GetItem")
            .WithSummary("One published item by id; ?culture= serves its translation (following the fallback chain).")
            .Produces<ItemDocument>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/items/by-alias/{alias}", ItemEndpoints.ByAliasAsync)
            .WithName("GetItemByAlias").WithSummary("One published item by its alias (AliasPart).")
            .Produces<ItemDocument>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/items/by-path", ItemEndpoints.ByPathAsync)
            .WithName("GetItemByPath").WithSummary("One published item by its path (AutoroutePart), ?path=news/….")
            .Produces<ItemDocument>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/sync", SyncEndpoint.HandleAsync)
            .WithName("Sync")
            .WithSummary("Delta sync for the app's offline cache.")
            .WithDescription("Without token: an initial sync in pages (follow next; the last page has token). With token: the changes since, " +
                             "with tombstones in deleted; repeat while hasMore. Filters: types (comma-separated), culture; limit (default 100, max 500). " +
                             "A token that is not valid gets 400: start an initial sync.")
            .Produces<SyncDocument>();
        api.MapGet("/videos", VideoEndpoints.ListAsync)
            .WithName("ListVideos").WithSummary("Videos ready to play: streamUrl (ranges), hlsUrl, posterUrl, durationSeconds, sizeBytes, sha256.")
            .Produces<IReadOnlyList<Embassy.Video.Services.PublicVideoInfo>>();
        api.MapGet("/videos/{id}", VideoEndpoints.GetAsync)
            .WithName("GetVideo").WithSummary("One video by id (its SHA-256), with its processing status.")
            .Produces<Embassy.Video.Services.PublicVideoInfo>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/types", SchemaEndpoints.TypesAsync)
            .WithName("ListTypes").WithSummary("The content types and the fields of their items.")
            .Produces<TypesDocument>();
        api.MapGet("/cultures", SchemaEndpoints.CulturesAsync)
            .WithName("ListCultures").WithSummary("The cultures served and their fallback chains.")
            .Produces<CulturesDocument>();

        endpoints.MapOpenApi("/openapi/{documentName}.json");
        endpoints.MapScalarApiReference("/scalar");
        return endpoints;
    }
}
