using System.Collections.Concurrent;
using Embassy.Content.Data;
using Embassy.Content.Services;
using Embassy.Core;
using Embassy.Notifications.Data;
using Embassy.Notifications.Push;
using Embassy.Notifications.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Embassy.Notifications;

/// <summary>
/// The master's sender of webhooks and push notifications. Everything it knows is in the database — the outbox, each
/// endpoint's queue position, each delivery's attempts and next time, each push — so that after a promotion the new
/// master goes on from the replicated state. An event is delivered at least once; a repeat (a delivery in flight when
/// the master died) carries the same webhook-id or FCM collapse key. Each endpoint is drained by its own task, in order
/// (its oldest undelivered event first, the next only after it): a dead endpoint waits alone, never holding up the
/// others, the push notifications or the editors.
/// </summary>
public sealed partial class NotificationDispatcher(IServiceScopeFactory scopes, IOptions<WebhookOptions> options, IOptions<EmbassyOptions> embassy,
    IConfiguration configuration, TimeProvider clock, ILogger<NotificationDispatcher> logger) : BackgroundService
{
    public const string PushCursor = "push";
    private const int Batch = 500;
    private readonly ConcurrentDictionary<string, Task> _draining = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _wake = new(0, 1);
    private Task _pushing = Task.CompletedTask;
    private DateTime _nextPrune = DateTime.MinValue;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the master has its configured endpoints in step (their queues start there: events
    /// committed before a new endpoint was first seen are not sent to it). Never completes on a standby.</summary>
    public Task Ready => _ready.Task;

    /// <summary>Looks at once (after a "retry now", a new endpoint) instead of at the next poll.</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // already woken
        }
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (embassy.Value.Role != ServerRole.Master)
        {
            return; // only the master sends; a standby's state is the master's, replicated, for when it is promoted
        }
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using (var scope = scopes.CreateAsyncScope())
                {
                    await scope.ServiceProvider.GetRequiredService<WebhookEndpoints>().SyncConfigurationAsync(stoppingToken);
                }
                _ready.TrySetResult();
                break;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            }
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            var busy = false;
            try
            {
                busy = await QueueAsync(stoppingToken);
                await StartDueAsync(stoppingToken);
                if (Now >= _nextPrune)
                {
                    _nextPrune = Now.AddMinutes(10);
                    await PruneAsync(stoppingToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }
            if (!busy)
            {
                await _wake.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
        }
        await Task.WhenAll([.. _draining.Values, _pushing]);
    }

    /// <summary>New outbox events become deliveries of the endpoints that subscribe to them, and pushes of the items
    /// that qualify. Returns whether it found any (then it looks again at once).</summary>
    internal async Task<bool> QueueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EmbassyDbContext>();
        var endpoints = await db.Set<WebhookEndpointRecord>().Where(e => e.Enabled).ToListAsync(cancellationToken);
        var cursor = await db.Set<OutboxCursorRecord>().FirstOrDefaultAsync(c => c.Name == PushCursor, cancellationToken);
        if (cursor is null)
        {
            cursor = db.Add(new OutboxCursorRecord { Name = PushCursor, Sequence = await scope.ServiceProvider.GetRequiredService<ChangeFeed>().GetHeadAsync(cancellationToken) }).Entity;
            await db.SaveChangesAsync(cancellationToken);
        }
        var from = endpoints.Select(e => e.QueuedThrough).Append(cursor.Sequence).Min();
        var events = await db.Set<OutboxEventRecord>().AsNoTracking().Where(e => e.Sequence > from).OrderBy(e => e.Sequence).Take(Batch).ToListAsync(cancellationToken);
        if (events.Count == 0)
        {
            return false;
        }
        var now = Now;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var endpoint in endpoints)
        {
            var events_ = WebhookEndpoints.SplitList(endpoint.Events);
            var types = endpoint.Types is null ? null : WebhookEndpoints.SplitList(endpoint.Types);
            foreach (var e in events.Where(e => e.Sequence > endpoint.QueuedThrough))
            {
                if (events_.Contains(e.Type) && (types is null || types.Contains(e.ContentType)))
                {
                    db.Add(new WebhookDeliveryRecord
                    {
                        EndpointId = endpoint.Id, Sequence = e.Sequence, EventId = e.EventId, EventType = e.Type, ContentItemId = e.ContentItemId,
                        Status = DeliveryStatus.Pending, CreatedUtc = now, NextAttemptUtc = now,
                    });
                }
            }
            endpoint.QueuedThrough = Math.Max(endpoint.QueuedThrough, events[^1].Sequence);
        }
        var fcm = scope.ServiceProvider.GetRequiredService<FcmClient>();
        var pushes = events.Where(e => e.Sequence > cursor.Sequence && e.Type == NotificationEvents.Published).ToList();
        if (pushes.Count > 0 && fcm.Configured)
        {
            await QueuePushesAsync(db, scope.ServiceProvider.GetRequiredService<ContentManager>(), pushes, now, cancellationToken);
        }
        cursor.Sequence = Math.Max(cursor.Sequence, events[^1].Sequence);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>One push per item: the first published version that qualifies under its type's push settings.</summary>
    private static async Task QueuePushesAsync(EmbassyDbContext db, ContentManager content, IReadOnlyList<OutboxEventRecord> published, DateTime now,
        CancellationToken cancellationToken)
    {
        var definitions = await content.LoadDefinitionsAsync(cancellationToken);
        var candidates = published.Where(e => e.ContentItemVersionId is not null && definitions.Types.TryGetValue(e.ContentType, out var type)
            && PushSettings.Of(type.Settings) is not null).ToList();
        if (candidates.Count == 0)
        {
            return;
        }
        var ids = candidates.Select(e => e.ContentItemId).Distinct().ToList();
        var pushed = (await db.Set<PushMessageRecord>().Where(p => ids.Contains(p.ContentItemId)).Select(p => p.ContentItemId).ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        var versions = candidates.Select(e => e.ContentItemVersionId!).ToList();
        var records = await db.Set<ContentItemRecord>().AsNoTracking().Where(r => versions.Contains(r.ContentItemVersionId))
            .ToDictionaryAsync(r => r.ContentItemVersionId, cancellationToken);
        foreach (var e in candidates)
        {
            if (pushed.Contains(e.ContentItemId) || !records.TryGetValue(e.ContentItemVersionId!, out var record))
            {
                continue;
            }
            var settings = PushSettings.Of(definitions.Types[e.ContentType].Settings)!;
            var data = (System.Text.Json.Nodes.JsonNode.Parse(record.Data) as System.Text.Json.Nodes.JsonObject ?? []);
            if (!settings.Qualifies(data))
            {
                continue;
            }
            pushed.Add(e.ContentItemId);
            db.Add(new PushMessageRecord
            {
                ContentItemId = e.ContentItemId, ContentItemVersionId = e.ContentItemVersionId!, ContentType = e.ContentType, Culture = e.Culture,
                Sequence = e.Sequence, Topic = settings.TopicFor(e.Culture), Title = Clip(record.DisplayText, 500), Body = settings.Body(data),
                Status = DeliveryStatus.Pending, CreatedUtc = now, NextAttemptUtc = now,
            });
        }
    }

    private static string Clip(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    /// <summary>Starts a drain for each endpoint whose oldest undelivered event is due (and is not being drained), and the push drain.</summary>
    private async Task StartDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EmbassyDbContext>();
        var now = Now;
        var due = await db.Set<WebhookDeliveryRecord>().Where(d => d.Status == DeliveryStatus.Pending && d.NextAttemptUtc <= now)
            .Select(d => d.EndpointId).Distinct().ToListAsync(cancellationToken);
        foreach (var endpointId in due)
        {
            if (!_draining.TryGetValue(endpointId, out var running) || running.IsCompleted)
            {
                _draining[endpointId] = Task.Run(() => DrainEndpointAsync(endpointId, cancellationToken), cancellationToken);
            }
        }
        if (_pushing.IsCompleted && await db.Set<PushMessageRecord>().AnyAsync(p => p.Status == DeliveryStatus.Pending && p.NextAttemptUtc <= now, cancellationToken))
        {
            _pushing = Task.Run(() => DrainPushesAsync(cancellationToken), cancellationToken);
        }
    }

    /// <summary>Sends an endpoint's deliveries in order while the oldest is due.</summary>
    private async Task DrainEndpointAsync(string endpointId, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<EmbassyDbContext>();
                var endpoint = await db.Set<WebhookEndpointRecord>().AsNoTracking().FirstOrDefaultAsync(e => e.Id == endpointId, cancellationToken);
                var head = await db.Set<WebhookDeliveryRecord>().Where(d => d.EndpointId == endpointId && d.Status == DeliveryStatus.Pending)
                    .OrderBy(d => d.Id).FirstOrDefaultAsync(cancellationToken);
                if (endpoint is not { Enabled: true } || head is null || head.NextAttemptUtc > Now)
                {
                    return;
                }
                var e = head.Sequence is { } sequence
                    ? await db.Set<OutboxEventRecord>().AsNoTracking().FirstOrDefaultAsync(o => o.Sequence == sequence, cancellationToken)
                    : null;
                AttemptResult result;
                if (e is null)
                {
                    result = new AttemptResult(false, false, null, null, 0, "the event is no longer in the outbox (pruned)");
                }
                else if (scope.ServiceProvider.GetRequiredService<WebhookEndpoints>().KeyOf(endpoint) is not { } key)
                {
                    result = new AttemptResult(false, true, null, null, 0, "the endpoint has no usable secret: make a new one in the CMI (or fix its configuration)");
                }
                else
                {
                    var body = WebhookSender.Payload(e, PublicBaseUrl);
                    result = await scope.ServiceProvider.GetRequiredService<WebhookSender>().SendAsync(endpoint.Url, key, "msg_" + e.EventId, body, cancellationToken);
                }
                Record(db, head, result);
                await db.SaveChangesAsync(cancellationToken);
                if (result.Delivered)
                {
                    LogDelivered(logger, head.EventType, endpoint.Url, head.Attempts);
                }
                else
                {
                    LogAttemptFailed(logger, head.EventType, endpoint.Url, head.Attempts, result.Error ?? "", head.Status == DeliveryStatus.Failed);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, ex);
        }
    }

    /// <summary>Adds an attempt to a delivery's log, then <see cref="Advance"/>.</summary>
    private void Record(EmbassyDbContext db, WebhookDeliveryRecord delivery, AttemptResult result)
    {
        var now = Now;
        db.Add(new WebhookAttemptRecord
        {
            DeliveryId = delivery.Id, AttemptUtc = now, StatusCode = result.StatusCode, DurationMs = result.DurationMs, Error = result.Error,
        });
        delivery.LastAttemptUtc = now;
        delivery.LastDurationMs = result.DurationMs;
        Advance(delivery, result, now);
    }

    /// <summary>Counts an attempt and decides what comes next: done, a retry (backoff with jitter, Retry-After honoured),
    /// or given up — a final answer, or <see cref="WebhookOptions.RetryFor"/> gone since the first attempt.</summary>
    private void Advance(IRetried item, AttemptResult result, DateTime now)
    {
        item.Attempts++;
        item.FirstAttemptUtc ??= now;
        item.LastStatusCode = result.StatusCode;
        item.LastError = result.Error;
        var next = now + Backoff(item.Attempts, result.RetryAfter);
        (item.Status, item.NextAttemptUtc, item.DoneUtc) = result.Delivered ? (DeliveryStatus.Delivered, now, now)
            : result.Retry && next <= item.FirstAttemptUtc.Value + options.Value.RetryFor ? (DeliveryStatus.Pending, next, (DateTime?)null)
            : (DeliveryStatus.Failed, now, now);
        if (item.Status == DeliveryStatus.Failed && result.Retry)
        {
            item.LastError = $"gave up after {item.Attempts} attempts: {result.Error}";
        }
    }

    /// <summary>The wait before retry n (1: after the first attempt): FirstRetryDelay · 2^(n−1), ±20 %, at most MaxRetryDelay;
    /// never less than the receiver's Retry-After.</summary>
    internal TimeSpan Backoff(int attempts, TimeSpan? retryAfter)
    {
        var o = options.Value;
        var exponential = o.FirstRetryDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempts - 1, 30));
        var wait = TimeSpan.FromMilliseconds(Math.Min(exponential, o.MaxRetryDelay.TotalMilliseconds) * (0.8 + (Random.Shared.NextDouble() * 0.4)));
        return retryAfter is { } after && after > wait ? after : wait;
    }

    private Uri? PublicBaseUrl => options.Value.PublicBaseUrl
        ?? (Uri.TryCreate(configuration["MobileApi:PublicBaseUrl"], UriKind.Absolute, out var u) ? u : null);

    /// <summary>Sends the due push notifications, oldest first.</summary>
    private async Task DrainPushesAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<EmbassyDbContext>();
                var now = Now;
                var message = await db.Set<PushMessageRecord>().Where(p => p.Status == DeliveryStatus.Pending && p.NextAttemptUtc <= now)
                    .OrderBy(p => p.Id).FirstOrDefaultAsync(cancellationToken);
                if (message is null)
                {
                    return;
                }
                var (result, name) = await scope.ServiceProvider.GetRequiredService<FcmClient>().SendAsync(message, cancellationToken);
                message.MessageName = name ?? message.MessageName;
                Advance(message, result, Now);
                await db.SaveChangesAsync(cancellationToken);
                if (result.Delivered)
                {
                    LogPushed(logger, message.Topic, message.ContentItemId, message.Attempts);
                }
                else
                {
                    LogPushFailed(logger, message.Topic, message.ContentItemId, message.Attempts, result.Error ?? "", message.Status == DeliveryStatus.Failed);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, ex);
        }
    }

    /// <summary>Drops what is done and older than the retention: deliveries with their attempts, pushes, and outbox
    /// entries every endpoint and the push queue have passed.</summary>
    internal async Task PruneAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EmbassyDbContext>();
        var before = Now.AddDays(-options.Value.RetentionDays);
        var old = db.Set<WebhookDeliveryRecord>().Where(d => d.Status != DeliveryStatus.Pending && d.DoneUtc < before);
        await db.Set<WebhookAttemptRecord>().Where(a => old.Any(d => d.Id == a.DeliveryId)).ExecuteDeleteAsync(cancellationToken);
        await old.ExecuteDeleteAsync(cancellationToken);
        await db.Set<PushMessageRecord>().Where(p => p.Status != DeliveryStatus.Pending && p.DoneUtc < before).ExecuteDeleteAsync(cancellationToken);
        var passed = await db.Set<WebhookEndpointRecord>().Where(e => e.Enabled).Select(e => (long?)e.QueuedThrough).MinAsync(cancellationToken) ?? long.MaxValue;
        var push = await db.Set<OutboxCursorRecord>().Where(c => c.Name == PushCursor).Select(c => (long?)c.Sequence).FirstOrDefaultAsync(cancellationToken) ?? 0;
        var through = Math.Min(passed, push);
        await db.Set<OutboxEventRecord>().Where(e => e.Sequence <= through && e.OccurredUtc < before).ExecuteDeleteAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 1500, Level = LogLevel.Warning, Message = "Notifications: a run failed, trying again")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Debug, Message = "Webhook {EventType} delivered to {Url} (attempt {Attempt})")]
    private static partial void LogDelivered(ILogger logger, string eventType, string url, int attempt);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Warning, Message = "Webhook {EventType} to {Url}, attempt {Attempt} failed: {Error} (given up: {Final})")]
    private static partial void LogAttemptFailed(ILogger logger, string eventType, string url, int attempt, string error, bool final);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Information, Message = "Push to {Topic} for {ContentItemId} sent (attempt {Attempt})")]
    private static partial void LogPushed(ILogger logger, string topic, string contentItemId, int attempt);

    [LoggerMessage(EventId = 1504, Level = LogLevel.Warning, Message = "Push to {Topic} for {ContentItemId}, attempt {Attempt} failed: {Error} (given up: {Final})")]
    private static partial void LogPushFailed(ILogger logger, string topic, string contentItemId, int attempt, string error, bool final);

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }
}
