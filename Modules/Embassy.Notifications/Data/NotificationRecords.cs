using Embassy.Core;
using Microsoft.EntityFrameworkCore;

namespace Embassy.Notifications.Data;

/// <summary>
/// One publication change to announce, written in the change's transaction (so it replicates with the data and nothing
/// is announced that did not commit). <see cref="Sequence"/> is the change feed's: serialized by its head row, so
/// entries become visible in order on both servers.
/// </summary>
public sealed class OutboxEventRecord
{
    public long Sequence { get; set; }
    /// <summary>Random and stable: the webhook-id (msg_…) every delivery of this event carries, a repeat included.</summary>
    public string EventId { get; set; } = "";
    public string Type { get; set; } = "";
    public string ContentItemId { get; set; } = "";
    public string? ContentItemVersionId { get; set; }
    public string ContentType { get; set; } = "";
    public string? Culture { get; set; }
    public DateTime OccurredUtc { get; set; }
}

/// <summary>Where webhooks go. Made in the CMI, by a recipe, or from configuration (kept in step at the master's start).</summary>
public sealed class WebhookEndpointRecord
{
    public string Id { get; set; } = "";
    public string Url { get; set; } = "";
    public string Description { get; set; } = "";
    /// <summary>The whsec_ secret, protected with the data-protection keys (which both servers share); null for a
    /// configured endpoint, whose secret stays in configuration.</summary>
    public string? ProtectedSecret { get; set; }
    /// <summary>Comma-separated event types (content.published,content.deleted).</summary>
    public string Events { get; set; } = "";
    /// <summary>Comma-separated content types; null: all.</summary>
    public string? Types { get; set; }
    public string Source { get; set; } = WebhookSources.Cmi;
    public bool Enabled { get; set; } = true;
    public DateTime CreatedUtc { get; set; }
    /// <summary>The outbox sequence up to which this endpoint's deliveries have been queued.</summary>
    public long QueuedThrough { get; set; }
}

public static class WebhookSources
{
    public const string Cmi = "cmi";
    public const string Recipe = "recipe";
    public const string Configuration = "configuration";
}

public enum DeliveryStatus { Pending = 0, Delivered = 1, Failed = 2 }

/// <summary>Something sent with retries (a webhook delivery, a push): its attempts so far and what comes next.</summary>
public interface IRetried
{
    DeliveryStatus Status { get; set; }
    int Attempts { get; set; }
    DateTime? FirstAttemptUtc { get; set; }
    DateTime NextAttemptUtc { get; set; }
    int? LastStatusCode { get; set; }
    string? LastError { get; set; }
    DateTime? DoneUtc { get; set; }
}

/// <summary>One event for one endpoint, until delivered or given up.</summary>
public sealed class WebhookDeliveryRecord : IRetried
{
    public long Id { get; set; }
    public string EndpointId { get; set; } = "";
    /// <summary>The outbox event's sequence; null for a test send.</summary>
    public long? Sequence { get; set; }
    public string EventId { get; set; } = "";
    public string EventType { get; set; } = "";
    public string? ContentItemId { get; set; }
    public DeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTime CreatedUtc { get; set; }
    public DateTime? FirstAttemptUtc { get; set; }
    public DateTime NextAttemptUtc { get; set; }
    public DateTime? LastAttemptUtc { get; set; }
    public int? LastStatusCode { get; set; }
    public int? LastDurationMs { get; set; }
    public string? LastError { get; set; }
    public DateTime? DoneUtc { get; set; }
}

/// <summary>One HTTP attempt of a delivery: the CMI's delivery log.</summary>
public sealed class WebhookAttemptRecord
{
    public long Id { get; set; }
    public long DeliveryId { get; set; }
    public DateTime AttemptUtc { get; set; }
    public int? StatusCode { get; set; }
    public int DurationMs { get; set; }
    public string? Error { get; set; }
}

/// <summary>The push notification of one content item (at most one per item: edits, re-publishing and unpublishing do
/// not push again), for the version that first qualified.</summary>
public sealed class PushMessageRecord : IRetried
{
    public long Id { get; set; }
    public string ContentItemId { get; set; } = "";
    public string ContentItemVersionId { get; set; } = "";
    public string ContentType { get; set; } = "";
    public string? Culture { get; set; }
    public long Sequence { get; set; }
    public string Topic { get; set; } = "";
    public string Title { get; set; } = "";
    public string Body { get; set; } = "";
    public DeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTime CreatedUtc { get; set; }
    public DateTime? FirstAttemptUtc { get; set; }
    public DateTime NextAttemptUtc { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
    /// <summary>FCM's name of the sent message (projects/…/messages/…).</summary>
    public string? MessageName { get; set; }
    public DateTime? DoneUtc { get; set; }
}

/// <summary>A named position in the outbox (the push fan-out's).</summary>
public sealed class OutboxCursorRecord
{
    public string Name { get; set; } = "";
    public long Sequence { get; set; }
}

public sealed class NotificationsModel : IModelContributor
{
    public void Configure(ModelBuilder modelBuilder, DatabaseProvider provider)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<OutboxEventRecord>(e =>
        {
            e.ToTable("OutboxEvents");
            e.HasKey(x => x.Sequence);
            e.Property(x => x.Sequence).ValueGeneratedNever();
            e.Property(x => x.EventId).HasMaxLength(64).IsRequired();
            e.Property(x => x.Type).HasMaxLength(64).IsRequired();
            e.Property(x => x.ContentItemId).HasMaxLength(64).IsRequired();
            e.Property(x => x.ContentItemVersionId).HasMaxLength(64);
            e.Property(x => x.ContentType).HasMaxLength(255).IsRequired();
            e.Property(x => x.Culture).HasMaxLength(16);
            e.HasIndex(x => x.EventId).IsUnique();
            e.HasIndex(x => x.OccurredUtc);
        });
        modelBuilder.Entity<WebhookEndpointRecord>(e =>
        {
            e.ToTable("WebhookEndpoints");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(64);
            e.Property(x => x.Url).HasMaxLength(2000).IsRequired();
            e.Property(x => x.Description).HasMaxLength(500).IsRequired();
            e.Property(x => x.ProtectedSecret).HasMaxLength(2000);
            e.Property(x => x.Events).HasMaxLength(500).IsRequired();
            e.Property(x => x.Types).HasMaxLength(2000);
            e.Property(x => x.Source).HasMaxLength(32).IsRequired();
        });
        modelBuilder.Entity<WebhookDeliveryRecord>(e =>
        {
            e.ToTable("WebhookDeliveries");
            e.HasKey(x => x.Id);
            e.Property(x => x.EndpointId).HasMaxLength(64).IsRequired();
            e.Property(x => x.EventId).HasMaxLength(64).IsRequired();
            e.Property(x => x.EventType).HasMaxLength(64).IsRequired();
            e.Property(x => x.ContentItemId).HasMaxLength(64);
            e.Property(x => x.LastError).HasMaxLength(500);
            // The head of an endpoint's queue: its oldest pending delivery.
            e.HasIndex(x => new { x.EndpointId, x.Status, x.Id });
            e.HasIndex(x => new { x.EndpointId, x.Sequence }).IsUnique();
            e.HasIndex(x => x.CreatedUtc);
            // What is due: the dispatcher's look every poll.
            e.HasIndex(x => new { x.Status, x.NextAttemptUtc });
        });
        modelBuilder.Entity<WebhookAttemptRecord>(e =>
        {
            e.ToTable("WebhookAttempts");
            e.HasKey(x => x.Id);
            e.Property(x => x.Error).HasMaxLength(500);
            e.HasIndex(x => x.DeliveryId);
        });
        modelBuilder.Entity<PushMessageRecord>(e =>
        {
            e.ToTable("PushMessages");
            e.HasKey(x => x.Id);
            e.Property(x => x.ContentItemId).HasMaxLength(64).IsRequired();
            e.Property(x => x.ContentItemVersionId).HasMaxLength(64).IsRequired();
            e.Property(x => x.ContentType).HasMaxLength(255).IsRequired();
            e.Property(x => x.Culture).HasMaxLength(16);
            e.Property(x => x.Topic).HasMaxLength(200).IsRequired();
            e.Property(x => x.Title).HasMaxLength(500).IsRequired();
            e.Property(x => x.Body).HasMaxLength(1000).IsRequired();
            e.Property(x => x.LastError).HasMaxLength(500);
            e.Property(x => x.MessageName).HasMaxLength(500);
            e.HasIndex(x => x.ContentItemId).IsUnique();
            e.HasIndex(x => new { x.Status, x.NextAttemptUtc });
        });
        modelBuilder.Entity<OutboxCursorRecord>(e =>
        {
            e.ToTable("OutboxCursors");
            e.HasKey(x => x.Name);
            e.Property(x => x.Name).HasMaxLength(64);
        });
    }
}
