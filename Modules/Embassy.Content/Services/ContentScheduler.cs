using Embassy.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Embassy.Content.Services;

public sealed class ContentSchedulerOptions
{
    public const string Section = "Embassy:Scheduler";

    /// <summary>How often the master looks for scheduled publications and unpublications that are due.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Publishes and unpublishes content at the times editors scheduled (master only).</summary>
public sealed partial class ContentScheduler(IServiceScopeFactory scopes, IOptions<ContentSchedulerOptions> options, IOptions<EmbassyOptions> embassy,
    ILogger<ContentScheduler> logger) : BackgroundService
{
    /// <summary>Items already reported as not honoured (once per item and run of the server, not every interval).</summary>
    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (embassy.Value.Role != ServerRole.Master)
        {
            return;
        }
        using var timer = new PeriodicTimer(options.Value.Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var manager = scope.ServiceProvider.GetRequiredService<ContentManager>();
                var changed = await manager.RunSchedulesAsync(stoppingToken);
                if (changed > 0)
                {
                    LogRan(logger, changed);
                }
                foreach (var id in manager.NotHonoured.Where(_warned.Add))
                {
                    LogNotHonoured(logger, id);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Scheduler published or unpublished {Count} items")]
    private static partial void LogRan(ILogger logger, int count);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Scheduler run failed, retrying at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning,
        Message = "Schedule of content item {ContentItemId} not honoured: whoever last saved it may not publish its type")]
    private static partial void LogNotHonoured(ILogger logger, string contentItemId);
}
