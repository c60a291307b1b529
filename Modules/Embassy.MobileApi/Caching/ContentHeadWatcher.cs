using Embassy.Content.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Embassy.MobileApi.Caching;

/// <summary>
/// Polls the change-feed head (one indexed row) on every server. The standby receives no
/// application events from the master, only replicated rows, so both learn of changes the same way:
/// a publish on the master shows on either server within replication lag plus one poll interval. The head's
/// definitions version goes to <see cref="Embassy.Core.DefinitionsWatch"/>, the event the caches of definitions follow.
/// </summary>
public sealed class ContentHeadWatcher(IServiceScopeFactory scopes, IOptions<MobileApiOptions> options, Embassy.Core.DefinitionsWatch definitions,
    Embassy.Core.MediaWatch media, ILogger<ContentHeadWatcher> logger)
    : BackgroundService
{
    private ContentHead _head = new(-1, -1);

    /// <summary>One read at a time, so the versions the watches see arrive in the order the database had them (a poll
    /// that read before a write must not report after a read that came after it).</summary>
    private readonly SemaphoreSlim _reading = new(1, 1);

    public ContentHead Head => _head;

    /// <summary>Reads the head now (tests, and the first request before the first poll).</summary>
    public async Task<ContentHead> RefreshAsync(CancellationToken cancellationToken)
    {
        await _reading.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var head = await scope.ServiceProvider.GetRequiredService<ChangeFeed>().GetContentHeadAsync(cancellationToken);
            if (head != _head)
            {
                Log.HeadChanged(logger, head.Sequence, head.DefinitionsVersion);
                _head = head;
            }
            // The "definitions changed" and "media changed" events the caches of definitions and media rows follow.
            definitions.Observe(head.DefinitionsVersion);
            media.Observe(head.MediaVersion);
            return head;
        }
        finally
        {
            _reading.Release();
        }
    }

    public override void Dispose()
    {
        _reading.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.HeadPollInterval);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database may be briefly away (a restart, a failover): keep serving what is cached.
                Log.HeadPollFailed(logger, ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
