using System.Diagnostics.Tracing;
using Embassy.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Embassy.Cms.Tests;

/// <summary>
/// What every request costs beyond its own work: the server's monitoring must not add to it. prometheus-net listened
/// to ASP.NET Core's event sources at Informational level once /metrics was first read, so Kestrel and Hosting wrote a
/// start and a stop event per request; Hosting's logger was enabled, so every request made an Activity and a log scope
/// that no log line shows. Together about three quarters of what a cached image response allocated (bench/images.sh).
/// </summary>
public sealed class RequestCostTests
{
    [Fact]
    public async Task OnceMetricsAreRead_ASPNetCoreWritesNoEventPerRequest_ItsCountersStillReachMetrics_AndHostingLogsNothing()
    {
        await using var site = KestrelSite.Start(await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite));
        using var client = new HttpClient();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync(site.Url("/health/live"))).StatusCode);
        var metrics = await client.GetStringAsync(site.Url("/metrics"));
        Assert.Contains("embassy_media_memory_responses_total", metrics, StringComparison.Ordinal);

        var sources = EventSource.GetSources().Where(s => s.Name is "Microsoft-AspNetCore-Server-Kestrel" or "Microsoft.AspNetCore.Hosting").ToList();
        Assert.Equal(2, sources.Count);
        Assert.All(sources, s => Assert.True(s.IsEnabled(), $"{s.Name}: nobody listens to its counters"));
        Assert.All(sources, s => Assert.False(s.IsEnabled(EventLevel.Informational, EventKeywords.All), $"{s.Name} writes its per-request events"));

        var hosting = site.App.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics");
        Assert.False(hosting.IsEnabled(LogLevel.Critical), "Hosting's logger is on: every request makes an Activity and a log scope");
    }
}
