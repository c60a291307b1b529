using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Embassy.Admin.Security;

/// <summary>
/// CMI sessions (ASVS V7): an idle timeout (the cookie's sliding lifetime), an absolute timeout counted from the sign-in,
/// and the time the password was last given, for the security settings that ask for it again
/// (<see cref="RequireRecentSignInAttribute"/>). Both times live in the session cookie's protected properties: a sign-in
/// writes them, a renewal or a refreshed principal (role change, security stamp) keeps them, so neither can be extended
/// without the password. A password or second-factor change updates the security stamp, which ends every other session
/// of that user within <c>SecurityStampValidatorOptions.ValidationInterval</c> (1 minute).
/// </summary>
public static class Sessions
{
    private const string SignedInKey = ".embassy.signedIn";
    private const string VerifiedKey = ".embassy.verified";

    /// <summary>The session cookie's lifetimes and checks, from <see cref="SecurityOptions"/>.</summary>
    internal sealed class ConfigureCookie(IOptions<SecurityOptions> security, TimeProvider clock) : IPostConfigureOptions<CookieAuthenticationOptions>
    {
        public void PostConfigure(string? name, CookieAuthenticationOptions options)
        {
            if (name != IdentityConstants.ApplicationScheme)
            {
                return;
            }
            var settings = security.Value;
            options.ExpireTimeSpan = settings.SessionIdleTimeout;
            options.SlidingExpiration = true;
            var signingIn = options.Events.OnSigningIn;
            options.Events.OnSigningIn = async context =>
            {
                // A new sign-in has neither time; a refresh of a signed-in session (RefreshSignInAsync) keeps both.
                var now = Stamp(clock.GetUtcNow());
                context.Properties.Items.TryAdd(SignedInKey, now);
                context.Properties.Items.TryAdd(VerifiedKey, now);
                await signingIn(context);
            };
            var validate = options.Events.OnValidatePrincipal; // Identity's security stamp check
            options.Events.OnValidatePrincipal = async context =>
            {
                if (SignedIn(context.Properties) is not { } signedIn || clock.GetUtcNow() - signedIn > settings.SessionAbsoluteTimeout)
                {
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                    return;
                }
                await validate(context);
            };
        }
    }

    public static DateTimeOffset? SignedIn(AuthenticationProperties? properties) => Read(properties, SignedInKey);

    /// <summary>When this session's user last gave the password (its sign-in, or <see cref="MarkVerifiedAsync"/>).</summary>
    public static async Task<DateTimeOffset?> VerifiedAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var session = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        return session.Succeeded ? Read(session.Properties, VerifiedKey) : null;
    }

    /// <summary>Records that the signed-in user has just given the password again; the sign-in time stays.</summary>
    public static async Task MarkVerifiedAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var session = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        if (!session.Succeeded)
        {
            return;
        }
        var clock = http.RequestServices.GetRequiredService<TimeProvider>();
        session.Properties.Items[VerifiedKey] = Stamp(clock.GetUtcNow());
        await http.SignInAsync(IdentityConstants.ApplicationScheme, session.Principal, session.Properties);
    }

    private static string Stamp(DateTimeOffset time) => time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    private static DateTimeOffset? Read(AuthenticationProperties? properties, string key) =>
        properties?.Items.TryGetValue(key, out var value) == true && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;
}

/// <summary>
/// A page of security settings: it opens (and its forms are taken) only within <see cref="SecurityOptions.ReauthenticateAfter"/>
/// of the user's last password; otherwise the CMI asks for it first (/admin/reauthenticate) and comes back.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequireRecentSignInAttribute : Attribute, IAsyncPageFilter
{
    public const string Path = "/admin/reauthenticate";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var limit = http.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value.ReauthenticateAfter;
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        if (http.User.Identity?.IsAuthenticated == true && (await Sessions.VerifiedAsync(http) is not { } verified || now - verified > limit))
        {
            // Back to the page itself (a form's fields are not kept: the page opens again, to be filled in again).
            var back = http.Request.Path + (HttpMethods.IsGet(http.Request.Method) ? http.Request.QueryString : QueryString.Empty);
            context.Result = new RedirectResult($"{Path}?returnUrl={Uri.EscapeDataString(back)}");
            return;
        }
        await next();
    }
}
