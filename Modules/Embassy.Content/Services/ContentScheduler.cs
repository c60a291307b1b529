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
                var changed = await scope.ServiceProvider.GetRequiredService<ContentManager>().RunSchedulesAsync(stoppingToken);
                if (changed > 0)
                {
                    LogRan(logger, changed);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex.Message);
            }
        }
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Scheduler published or unpublished {Count} items")]
    private static partial void LogRan(ILogger logger, int count);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Scheduler run failed, retrying at the next interval: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
