using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Embassy.Search;

/// <summary>
/// Keeps this server's index in step with its database (master and standby alike: each follows its own change feed,
/// which replicates): builds it when there is none (or of another format, or ahead of the feed — a restored database),
/// then applies the feed's new entries every <see cref="SearchOptions.PollInterval"/>, committing the sequence reached.
/// </summary>
public sealed partial class SearchIndexer(SearchIndex index, IServiceScopeFactory scopes, IOptions<SearchOptions> options,
    IOptions<Embassy.Core.EmbassyOptions> embassy, TimeProvider clock, ILogger<SearchIndexer> logger)
    : BackgroundService
{
    private const int Batch = 500;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the index is open (built if it had to be).</summary>
    public Task Ready => _ready.Task;

    /// <summary>The feed's head when last read.</summary>
    public long Head { get; private set; } = -1;

    public DateTime? LastErrorUtc { get; private set; }

    public string? LastError { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }
        await Task.Yield();
        var sweep = DateTime.UtcNow;
        while (!stoppingToken.IsCancellationRequested)
        {
            var busy = false;
            try
            {
                LastError = null;
                busy = await StepAsync(stoppingToken);
                if (DateTime.UtcNow > sweep)
                {
                    index.DeleteStale();
                    sweep = DateTime.UtcNow.AddMinutes(10);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                (LastError, LastErrorUtc) = (ex.Message, DateTime.UtcNow);
                LogFailed(logger, ex);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
            if (!busy)
            {
                await Task.Delay(options.Value.PollInterval, stoppingToken);
            }
        }
    }

    /// <summary>One step: open or build the index, or apply a batch of the feed. True when there may be more to do at once.</summary>
    internal async Task<bool> StepAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var feeder = scope.ServiceProvider.GetRequiredService<SearchFeeder>();
        Head = await feeder.HeadAsync(cancellationToken);
        var master = embassy.Value.Role == Embassy.Core.ServerRole.Master;
        var usable = index.OpenCurrent();
        if (index.LockedOut)
        {
            LastError = $"the search index in {index.Root} is locked by another process (two servers on one data directory?)";
            if (!usable)
            {
                return false;
            }
        }
        if (!usable || index.Sequence > Head)
        {
            var started = DateTime.UtcNow;
            var since = clock.GetUtcNow().UtcDateTime.Ticks; // latest versions modified from now on are read after the build
            var count = await index.BuildAsync(feeder.AllAsync(master, cancellationToken), Head, since, null, cancellationToken);
            LogBuilt(logger, count, Head, (DateTime.UtcNow - started).TotalSeconds);
            index.OpenCurrent();
        }
        _ready.TrySetResult();
        var (changes, reached) = index.Sequence < Head ? await feeder.ChangesAsync(index.Sequence, Batch, master, cancellationToken) : ([], index.Sequence);
        var latestSince = index.LatestSince;
        if (master)
        {
            // The CMI's search (master only): drafts saved since the last look (a draft save is not in the change feed).
            var (drafts, since) = await feeder.LatestSinceAsync(latestSince, Batch, cancellationToken);
            changes.AddRange(drafts);
            latestSince = since;
        }
        if (changes.Count == 0 && reached == index.Sequence && latestSince == index.LatestSince)
        {
            return false;
        }
        index.Apply(changes, reached, latestSince);
        return reached < Head;
    }

    [LoggerMessage(EventId = 1610, Level = LogLevel.Information, Message = "Search: index built with {Count} items at change-feed sequence {Sequence} in {Seconds:0.0} s")]
    private static partial void LogBuilt(ILogger logger, int count, long sequence, double seconds);

    [LoggerMessage(EventId = 1611, Level = LogLevel.Warning, Message = "Search: indexing failed, trying again")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
