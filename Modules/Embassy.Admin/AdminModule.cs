using Embassy.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

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
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                o.LoginPath = "/admin/login";
                o.AccessDeniedPath = "/admin/denied";
                // An API caller gets a status code, not a redirect to a login page.
                o.Events.OnRedirectToLogin = context => Deny(context.HttpContext, StatusCodes.Status401Unauthorized, context.RedirectUri);
                o.Events.OnRedirectToAccessDenied = context => Deny(context.HttpContext, StatusCodes.Status403Forbidden, context.RedirectUri);
            }));
        // Role and permission changes reach signed-in users within a minute (the principal is rebuilt then).
        builder.Services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        builder.Services.AddAuthorizationBuilder().AddPermissionPolicies();
        builder.Services.AddRazorPages();
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

    public static WebApplication UseAdmin(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // The CMI runs no inline script and loads nothing from elsewhere.
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/admin"))
            {
                context.Response.Headers.ContentSecurityPolicy =
                    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'";
                context.Response.Headers.XFrameOptions = "DENY";
            }
            return next();
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }
}
