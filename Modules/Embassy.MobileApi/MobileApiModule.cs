using Embassy.Core;
using System.Threading.RateLimiting;
using Embassy.MobileApi.Caching;
using Embassy.MobileApi.Endpoints;
using Embassy.MobileApi.Json;
using Embassy.MobileApi.OpenApi;
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
        builder.Services.AddOptions<MobileApiOptions>().BindConfigurationReplacingLists(MobileApiOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.DefaultPageSize <= o.MaxPageSize, "MobileApi:DefaultPageSize must not exceed MobileApi:MaxPageSize.")
            .Validate(o => o.Fallback.Keys.All(o.Cultures.Contains) && o.Fallback.Values.All(l => l.All(o.Cultures.Contains)),
                "MobileApi:Fallback may only name cultures listed in MobileApi:Cultures.")
            .Validate(o => o.PublicBaseUrl is null || (o.PublicBaseUrl.IsAbsoluteUri && o.PublicBaseUrl.Scheme is "https" or "http"
                    && string.IsNullOrEmpty(o.PublicBaseUrl.Query) && string.IsNullOrEmpty(o.PublicBaseUrl.Fragment)),
                "MobileApi:PublicBaseUrl must be an absolute http(s) URL without query or fragment, e.g. https://api.embassy.example.")
            .ValidateOnStart();
        builder.Services.AddSingleton<ContentHeadWatcher>();
        builder.Services.AddSingleton<Endpoints.PreviewGuesses>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ContentHeadWatcher>());
        builder.Services.AddSingleton<ApiResponseCache>();
        builder.Services.AddSingleton<ItemFragmentCache>();
        builder.Services.AddSingleton<ApiSchemaProvider>();
        // The responses as types: their serializers and their schemas in the OpenAPI document (one metadata).
        builder.Services.AddSingleton<Contract.ResponseContract>();
        builder.Services.AddCors(o => o.AddPolicy(CorsPolicy, policy =>
        {
            var origins = builder.Configuration.GetSection($"{MobileApiOptions.Section}:CorsOrigins").Get<string[]>() ?? [];
            policy.WithOrigins(origins).WithMethods("GET", "HEAD").WithHeaders("If-None-Match", "Accept-Language", Endpoints.PreviewAccess.Header).WithExposedHeaders("ETag", "Content-Language");
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
        // Described by /openapi/v1.json (MobileApiDocument), built from the content definitions; each route's query
        // parameters are its ApiQuery, and any other is refused here.
        var api = endpoints.MapGroup("/api/v1").RequireRateLimiting(RateLimitPolicy).RequireCors(CorsPolicy).ExcludeFromDescription()
            .AddEndpointFilter(async (context, next) =>
            {
                var http = context.HttpContext;
                var max = http.RequestServices.GetRequiredService<IOptions<MobileApiOptions>>().Value.MaxQueryLength;
                var error = http.Request.QueryString.Value?.Length > max
                    ? ("query", $"the query string is longer than {max} characters.")
                    : http.GetEndpoint()?.Metadata.GetMetadata<ApiQuery>()?.Unknown(http.Request.Query) is { } unknown ? ("query", unknown) : default;
                return error.Item1 is null
                    ? await next(context)
                    : TypedResults.ValidationProblem(new Dictionary<string, string[]> { [error.Item1] = [error.Item2] }, title: Embassy.Core.ProblemTitles.BadRequest);
            });

        api.MapGet("/content/{type}", ContentListEndpoint.HandleAsync).WithMetadata(ApiQuery.List);
        api.MapGet("/items/{id}", ItemEndpoints.ByIdAsync).WithMetadata(ApiQuery.Item);
        api.MapGet("/items/by-alias/{alias}", ItemEndpoints.ByAliasAsync).WithMetadata(ApiQuery.Item);
        api.MapGet("/items/by-path", ItemEndpoints.ByPathAsync).WithMetadata(ApiQuery.ByPath);
        api.MapGet("/sync", SyncEndpoint.HandleAsync).WithMetadata(ApiQuery.Sync);
        api.MapGet("/search", SearchEndpoint.HandleAsync).WithMetadata(ApiQuery.Search);
        api.MapGet("/videos", VideoEndpoints.ListAsync).WithMetadata(ApiQuery.None);
        api.MapGet("/videos/{id}", VideoEndpoints.GetAsync).WithMetadata(ApiQuery.None);
        api.MapGet("/types", SchemaEndpoints.TypesAsync).WithMetadata(ApiQuery.None);
        api.MapGet("/cultures", SchemaEndpoints.CulturesAsync).WithMetadata(ApiQuery.None);
        api.MapGet("/schemas/rich-text.json", SchemaEndpoints.RichTextSchemaAsync).WithMetadata(ApiQuery.None);

        // Public and built per host name when MobileApi:PublicBaseUrl is not set: under the API's per-address limits.
        endpoints.MapGet("/openapi/v1.json", ApiDocumentEndpoint.HandleAsync).ExcludeFromDescription().RequireCors(CorsPolicy).RequireRateLimiting(RateLimitPolicy);
        endpoints.MapScalarApiReference("/scalar");
        return endpoints;
    }
}
