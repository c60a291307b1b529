using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.OpenApi;

namespace Embassy.Admin;

/// <summary>
/// /openapi/admin.json: the CMI's own API (/admin/api: session, media uploads, videos, markdown preview), apart from the
/// mobile document so that it never ends up in the app's generated client. It declares how to call it: the session
/// cookie from POST /admin/api/session, and on every write the antiforgery token in the X-CSRF-TOKEN header.
/// Mapped on the master only, like the routes it describes.
/// </summary>
public static class AdminApiDocument
{
    public const string Name = "admin";
    private const string Cookie = "session";
    private const string Antiforgery = "antiforgery";

    public static void Configure(OpenApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ShouldInclude = description => description.RelativePath?.StartsWith("admin/api", StringComparison.Ordinal) == true;
        options.AddDocumentTransformer((document, context, _) =>
        {
            document.Info.Title = "Embassy CMS admin API";
            document.Info.Description = "The CMI's own endpoints. Sign in with POST /admin/api/session; send the antiforgery token " +
                                        $"from GET /admin/api/session in the {AdminModule.AntiforgeryHeader} header on every write.";
            var request = context.ApplicationServices.GetService(typeof(Microsoft.AspNetCore.Http.IHttpContextAccessor)) as Microsoft.AspNetCore.Http.IHttpContextAccessor;
            document.Servers = request?.HttpContext is { } http
                ? [new OpenApiServer { Url = $"{http.Request.Scheme}://{http.Request.Host.Value}{http.Request.PathBase}".TrimEnd('/') }]
                : [];
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
            {
                [Cookie] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Cookie, Name = "embassy.session",
                    Description = "The session cookie set by POST /admin/api/session.",
                },
                [Antiforgery] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = AdminModule.AntiforgeryHeader,
                    Description = "The antiforgery token from GET /admin/api/session (with its cookie), on every write.",
                },
            };
            foreach (var (path, item) in document.Paths)
            {
                foreach (var (method, operation) in item.Operations ?? [])
                {
                    var signIn = path == "/admin/api/session" && method == System.Net.Http.HttpMethod.Post;
                    var requirement = new OpenApiSecurityRequirement();
                    if (!signIn)
                    {
                        requirement[new OpenApiSecuritySchemeReference(Cookie, document)] = [];
                        if (method != System.Net.Http.HttpMethod.Get && method != System.Net.Http.HttpMethod.Head)
                        {
                            requirement[new OpenApiSecuritySchemeReference(Antiforgery, document)] = [];
                        }
                    }
                    operation.Security = [requirement];
                }
            }
            return Task.CompletedTask;
        });
    }

    /// <summary>Maps /openapi/admin.json (the mobile document, /openapi/v1.json, is the API module's).</summary>
    public static IEndpointRouteBuilder MapAdminApiDocument(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi("/openapi/{documentName}.json");
        return endpoints;
    }
}
