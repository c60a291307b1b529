using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Embassy.Cms.Hosting;

/// <summary>A reverse proxy in front of the server (nginx, a load balancer): which addresses may say who the client is.</summary>
public sealed class ProxyOptions
{
    public const string Section = "Embassy:Proxy";

    /// <summary>The proxies' addresses. Only requests from them have X-Forwarded-For and X-Forwarded-Proto believed, so
    /// per-client limits see the real client, and nobody else can pretend to be another address.</summary>
    public List<string> KnownProxies { get; set; } = [];
}

public static class ProxySetup
{
    public static WebApplicationBuilder AddProxy(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var proxies = builder.Configuration.GetSection(ProxyOptions.Section).Get<ProxyOptions>()?.KnownProxies ?? [];
        var invalid = proxies.Where(p => !IPAddress.TryParse(p, out _)).ToList();
        if (invalid.Count > 0)
        {
            throw new InvalidOperationException($"Embassy:Proxy:KnownProxies must list IP addresses; these are not: {string.Join(", ", invalid)}.");
        }
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
            {
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            }
            o.ForwardLimit = 1;
        });
        return builder;
    }

    /// <summary>First in the pipeline: the front's request to send files itself is believed from a known proxy only
    /// (<see cref="Embassy.Core.FrontSendfile"/>), then the forwarded headers, when proxies are configured.</summary>
    public static WebApplication UseProxy(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var proxies = (app.Configuration.GetSection(ProxyOptions.Section).Get<ProxyOptions>()?.KnownProxies ?? [])
            .Select(IPAddress.Parse).ToHashSet();
        app.Use((context, next) =>
        {
            Embassy.Core.FrontSendfile.Mark(context, proxies);
            return next(context);
        });
        if (proxies.Count > 0)
        {
            app.UseForwardedHeaders();
        }
        return app;
    }
}
