using Microsoft.Extensions.Primitives;

namespace Embassy.Cms.Hosting;

/// <summary>
/// The headers every response carries (OWASP ASVS 5.0, V3.4): a Content-Security-Policy that runs and loads nothing and
/// may be framed by nobody (the CMI, media and the root page set their own, stricter where they can be), nosniff, and
/// no Referer sent onwards. Set before anything answers, so API answers, health, status pages, the media memory lane
/// and 304s carry them; an error answered by the exception handler (which clears the response) gets them again when its
/// problem details are written.
/// </summary>
internal static class SecurityHeaders
{
    public static readonly StringValues ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'; form-action 'none'";
    private static readonly StringValues NoSniff = "nosniff";
    private static readonly StringValues NoReferrer = "no-referrer";

    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(static (context, next) =>
        {
            Apply(context.Response.Headers);
            return next(context);
        });
        return app;
    }

    /// <summary>The defaults, where a later part has not set its own.</summary>
    public static void Apply(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (StringValues.IsNullOrEmpty(headers.ContentSecurityPolicy))
        {
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
        }
        headers.XContentTypeOptions = NoSniff;
        if (StringValues.IsNullOrEmpty(headers[ReferrerPolicy]))
        {
            headers[ReferrerPolicy] = NoReferrer;
        }
    }

    private const string ReferrerPolicy = "Referrer-Policy";
}
