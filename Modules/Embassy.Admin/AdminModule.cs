using Embassy.Admin.Security;
using Embassy.Core;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Embassy.Admin;

public static class AdminModule
{
    public const string AntiforgeryHeader = "X-CSRF-TOKEN";

    /// <summary>Sign-in for editors (Identity's application cookie), permission policies, antiforgery.</summary>
    public static IHostApplicationBuilder AddAdminModule(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies(cookies =>
            cookies.ApplicationCookie?.Configure(o =>
            {
                o.Cookie.Name = "embassy.session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                // Secure whenever the request came over HTTPS (always, when the server has a certificate: HTTP only redirects).
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                // Idle and absolute timeouts, and the time of the last password: Security/Sessions.cs (from SecurityOptions).
                o.LoginPath = "/admin/login";
                o.AccessDeniedPath = "/admin/denied";
                // An API caller gets a status code, not a redirect to a login page.
                o.Events.OnRedirectToLogin = context => Deny(context.HttpContext, StatusCodes.Status401Unauthorized, context.RedirectUri);
                o.Events.OnRedirectToAccessDenied = context => Deny(context.HttpContext, StatusCodes.Status403Forbidden, context.RedirectUri);
            }));
        // Role and permission changes reach signed-in users within a minute (the principal is rebuilt then).
        builder.Services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        builder.Services.AddAuthorizationBuilder().AddPermissionPolicies();
        builder.Services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IPostConfigureOptions<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>, Sessions.ConfigureCookie>();
        builder.Services.AddSingleton<SignInThrottle>();
        builder.Services.AddScoped<PasswordCheck>();
        builder.Services.AddSingleton<Localization.CmiText>();
        builder.Services.Replace(ServiceDescriptor.Scoped<IdentityErrorDescriber, Localization.CmiIdentityErrors>());
        builder.Services.Replace(ServiceDescriptor.Scoped<IUserClaimsPrincipalFactory<IdentityUser>, EmbassyClaimsPrincipalFactory>());
        builder.Services.AddRazorPages();
        builder.Services.AddOpenApi(AdminApiDocument.Name, AdminApiDocument.Configure);
        // The CMI's editor of each field kind (Embassy.Content's ContentElements names the kinds).
        foreach (var editor in Editing.FieldEditors.Default)
        {
            builder.Services.AddSingleton(editor);
        }
        foreach (var editor in Editing.FieldEditors.DefaultParts)
        {
            builder.Services.AddSingleton(editor);
        }
        builder.Services.AddSingleton<Editing.FieldEditors>();
        builder.Services.AddAntiforgery(o =>
        {
            o.HeaderName = AntiforgeryHeader;
            o.Cookie.Name = "embassy.antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
        return builder;
    }

    private static Task Deny(HttpContext http, int status, string redirectUri)
    {
        if (http.Request.Path.StartsWithSegments("/admin/api"))
        {
            http.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        http.Response.Redirect(redirectUri);
        return Task.CompletedTask;
    }

    /// <summary>The CMI's pages answer an error status with a page a person can read (the API keeps its ProblemDetails).
    /// Before routing, so that the status page is routed like any request; on the master only, where the pages are.</summary>
    public static WebApplication UseAdminStatusPages(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/admin") && !context.Request.Path.StartsWithSegments("/admin/api")
                && !context.Request.Path.StartsWithSegments("/admin/assets"),
            branch => branch.UseStatusCodePagesWithReExecute("/admin/status/{0}"));
        return app;
    }

    public static WebApplication UseAdmin(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // The public surfaces (the app's API, media, health) are anonymous by design: no cookie, session or user changes
        // what they answer, so they skip the editors' own middleware (CMI headers and language, antiforgery and
        // second-factor checks, the site's time zone) — less work for every request the app makes (bench/images.sh).
        // The framework's authentication, authorization and antiforgery stay on the main pipeline: the host adds them
        // itself at the very start when they are not there (WebApplication's defaults), and they cost an anonymous
        // request little.
        app.UseWhen(context => !IsPublicSurface(context.Request.Path), editors =>
        {
            // The CMI runs no inline script and loads nothing from elsewhere.
            editors.Use((context, next) =>
            {
                if (context.Request.Path.StartsWithSegments("/admin"))
                {
                    var headers = context.Response.Headers;
                    headers.ContentSecurityPolicy =
                        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; media-src 'self' blob:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";
                    headers.XFrameOptions = "DENY";
                    headers.XContentTypeOptions = "nosniff";
                    headers["Referrer-Policy"] = "same-origin";
                    headers["Cross-Origin-Opener-Policy"] = "same-origin";
                    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
                    if (!context.Request.Path.StartsWithSegments("/admin/assets"))
                    {
                        // Editors' pages hold unpublished content and tokens: no cache (a shared computer, a proxy) keeps them.
                        headers.CacheControl = "no-store";
                    }
                }
                return next();
            });
            // The CMI speaks the editor's language: their choice (a cookie set by the header's link), else the browser's.
            // Only the words change (UI culture); dates and numbers keep the CMI's one format.
            editors.UseWhen(context => context.Request.Path.StartsWithSegments("/admin"), branch => branch.UseRequestLocalization(o =>
            {
                o.SetDefaultCulture("en");
                o.AddSupportedUICultures(Localization.CmiText.Languages);
                o.FallBackToParentUICultures = true;
                o.RequestCultureProviders =
                [
                    new Microsoft.AspNetCore.Localization.CookieRequestCultureProvider { CookieName = Localization.LanguageEndpoint.CookieName },
                    new Microsoft.AspNetCore.Localization.AcceptLanguageHeaderRequestCultureProvider(),
                ];
            }));
        });
        app.UseAuthentication();
        app.UseWhen(context => !IsPublicSurface(context.Request.Path), editors =>
        {
            editors.Use(RequireAntiforgeryOnAdminApiAsync);
            editors.Use(RequireTwoFactorAsync);
            // Every CMI page shows and takes times in the site's zone: load it once per request.
            editors.Use(async (context, next) =>
            {
                if (context.Request.Path.StartsWithSegments("/admin") && !context.Request.Path.StartsWithSegments("/admin/assets") &&
                    !context.Request.Path.StartsWithSegments("/admin/api"))
                {
                    await SiteTime.ForAsync(context);
                }
                await next();
            });
        });
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    /// <summary>Paths answered the same to everyone, whoever is signed in: see <see cref="UseAdmin"/>.</summary>
    public static bool IsPublicSurface(PathString path) =>
        path.StartsWithSegments("/media") || path.StartsWithSegments("/api/v1") || path.StartsWithSegments("/health");

    /// <summary>Every state-changing /admin/api call carries the antiforgery token (X-CSRF-TOKEN), whatever the endpoint
    /// declares; only signing in has none to send yet.</summary>
    private static async Task RequireAntiforgeryOnAdminApiAsync(HttpContext context, Func<Task> next)
    {
        var request = context.Request;
        // Only a request that carries a signed-in cookie can be forged; others are refused by authorization (401).
        if (context.User.Identity?.IsAuthenticated == true && request.Path.StartsWithSegments("/admin/api") && !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) &&
            !HttpMethods.IsOptions(request.Method) && !(HttpMethods.IsPost(request.Method) && request.Path.Equals("/admin/api/session", StringComparison.OrdinalIgnoreCase)))
        {
            var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                await Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Antiforgery token missing",
                    detail: $"Send the token from GET /admin/api/session in the {AntiforgeryHeader} header.").ExecuteAsync(context);
                return;
            }
        }
        await next();
    }

    /// <summary>A user whose role requires a second factor and who has none enrolled may only enrol (or sign out).</summary>
    private static async Task RequireTwoFactorAsync(HttpContext context, Func<Task> next)
    {
        var path = context.Request.Path;
        if (context.User.Identity?.IsAuthenticated == true && path.StartsWithSegments("/admin") && !TwoFactor.IsEnrolled(context.User) &&
            TwoFactor.IsRequiredFor(context.User, context.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value) &&
            !path.StartsWithSegments(TwoFactor.EnrolPath) && !path.StartsWithSegments("/admin/logout") && !path.StartsWithSegments("/admin/assets") &&
            !path.StartsWithSegments("/admin/login") && !(path.StartsWithSegments("/admin/api/session") && !HttpMethods.IsPost(context.Request.Method)))
        {
            if (path.StartsWithSegments("/admin/api"))
            {
                await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Two-factor sign-in required",
                    detail: $"Your role requires an authenticator app: enrol one at {TwoFactor.EnrolPath}, then sign in again.").ExecuteAsync(context);
                return;
            }
            context.Response.Redirect(TwoFactor.EnrolPath);
            return;
        }
        await next();
    }
}
