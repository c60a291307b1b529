using Embassy.Core;
using Embassy.Notifications.Data;
using Embassy.Notifications.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace Embassy.Notifications;

/// <summary>An endpoint as the CMI lists it: with its queue and its last answer.</summary>
public sealed record EndpointSummary(WebhookEndpointRecord Endpoint, int Pending, int Failed, WebhookDeliveryRecord? Last, bool HasKey);

/// <summary>The CMI's view of webhooks and pushes, and what an administrator may do with them: retry now, send a test.</summary>
public sealed class NotificationLog(EmbassyDbContext db, WebhookEndpoints endpoints, WebhookSender sender, NotificationDispatcher dispatcher, TimeProvider clock)
{
    private IQueryable<WebhookDeliveryRecord> Deliveries => db.Set<WebhookDeliveryRecord>();

    public async Task<IReadOnlyList<EndpointSummary>> EndpointsAsync(CancellationToken cancellationToken)
    {
        var list = new List<EndpointSummary>();
        foreach (var endpoint in await endpoints.ListAsync(cancellationToken))
        {
            var counts = await Deliveries.AsNoTracking().Where(d => d.EndpointId == endpoint.Id && d.Status != DeliveryStatus.Delivered)
                .GroupBy(d => d.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
            var last = await Deliveries.AsNoTracking().Where(d => d.EndpointId == endpoint.Id && d.Attempts > 0)
                .OrderByDescending(d => d.LastAttemptUtc).FirstOrDefaultAsync(cancellationToken);
            list.Add(new EndpointSummary(endpoint, counts.FirstOrDefault(c => c.Key == DeliveryStatus.Pending)?.Count ?? 0,
                counts.FirstOrDefault(c => c.Key == DeliveryStatus.Failed)?.Count ?? 0, last, endpoints.KeyOf(endpoint) is not null));
        }
        return list;
    }

    /// <summary>An endpoint's latest deliveries (newest first), each with its attempts.</summary>
    public async Task<IReadOnlyList<(WebhookDeliveryRecord Delivery, IReadOnlyList<WebhookAttemptRecord> Attempts)>> DeliveriesAsync(string endpointId, int limit,
        CancellationToken cancellationToken)
    {
        var deliveries = await Deliveries.AsNoTracking().Where(d => d.EndpointId == endpointId).OrderByDescending(d => d.Id).Take(limit).ToListAsync(cancellationToken);
        var ids = deliveries.Select(d => d.Id).ToList();
        var attempts = await db.Set<WebhookAttemptRecord>().AsNoTracking().Where(a => ids.Contains(a.DeliveryId)).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        return deliveries.Select(d => (d, (IReadOnlyList<WebhookAttemptRecord>)attempts.Where(a => a.DeliveryId == d.Id).ToList())).ToList();
    }

    /// <summary>A delivery waiting for its next attempt goes now; one given up starts again (a new retry window). Test
    /// sends are not retried (send another).</summary>
    public async Task<bool> RetryNowAsync(string endpointId, long deliveryId, CancellationToken cancellationToken)
    {
        if (await Deliveries.FirstOrDefaultAsync(d => d.Id == deliveryId && d.EndpointId == endpointId && d.Sequence != null
                && d.Status != DeliveryStatus.Delivered, cancellationToken) is not { } delivery)
        {
            return false;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        if (delivery.Status == DeliveryStatus.Failed)
        {
            delivery.Status = DeliveryStatus.Pending;
            delivery.FirstAttemptUtc = now;
            delivery.DoneUtc = null;
        }
        delivery.NextAttemptUtc = now;
        await db.SaveChangesAsync(cancellationToken);
        dispatcher.Wake();
        return true;
    }

    /// <summary>Sends a signed webhook.test event to the endpoint now (once, no retries) and logs it with its deliveries.</summary>
    public async Task<AttemptResult?> TestSendAsync(string endpointId, CancellationToken cancellationToken)
    {
        if (await endpoints.GetAsync(endpointId, cancellationToken) is not { } endpoint)
        {
            return null;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var eventId = "test_" + IdGenerator.NewId();
        var result = endpoints.KeyOf(endpoint) is { } key
            ? await sender.SendAsync(endpoint.Url, key, "msg_" + eventId, WebhookSender.TestPayload(endpoint.Id, now), cancellationToken)
            : new AttemptResult(false, false, null, null, 0, "the endpoint has no usable secret: make a new one");
        var delivery = new WebhookDeliveryRecord
        {
            EndpointId = endpoint.Id, EventId = eventId, EventType = NotificationEvents.Test, Status = result.Delivered ? DeliveryStatus.Delivered : DeliveryStatus.Failed,
            Attempts = 1, CreatedUtc = now, FirstAttemptUtc = now, LastAttemptUtc = now, NextAttemptUtc = now, DoneUtc = now,
            LastStatusCode = result.StatusCode, LastDurationMs = result.DurationMs, LastError = result.Error,
        };
        db.Add(delivery);
        await db.SaveChangesAsync(cancellationToken);
        db.Add(new WebhookAttemptRecord { DeliveryId = delivery.Id, AttemptUtc = now, StatusCode = result.StatusCode, DurationMs = result.DurationMs, Error = result.Error });
        await db.SaveChangesAsync(cancellationToken);
        return result;
    }

    public async Task<IReadOnlyList<PushMessageRecord>> PushesAsync(int limit, CancellationToken cancellationToken) =>
        await db.Set<PushMessageRecord>().AsNoTracking().OrderByDescending(p => p.Id).Take(limit).ToListAsync(cancellationToken);

    public Task<PushMessageRecord?> PushOfAsync(string contentItemId, CancellationToken cancellationToken) =>
        db.Set<PushMessageRecord>().AsNoTracking().FirstOrDefaultAsync(p => p.ContentItemId == contentItemId, cancellationToken);
}
