using Embassy.Content.Events;
using Embassy.Content.Services;
using Embassy.Core;
using Embassy.Notifications.Data;

namespace Embassy.Notifications;

/// <summary>The event names webhooks announce and endpoints subscribe to.</summary>
public static class NotificationEvents
{
    public const string Published = "content.published";
    public const string Unpublished = "content.unpublished";
    public const string Deleted = "content.deleted";
    /// <summary>Only what the CMI's "send a test" button sends.</summary>
    public const string Test = "webhook.test";

    public static readonly IReadOnlyList<string> All = [Published, Unpublished, Deleted];
}

/// <summary>
/// Every publication change — from the CMI, the scheduler, a recipe, any API — gets its outbox entry in the change's
/// transaction, numbered with the change feed's sequence (this handler runs after the feed's): what the webhooks and
/// push notifications announce is exactly what committed, in the order it committed.
/// </summary>
internal sealed class OutboxHandler(EmbassyDbContext db, ChangeFeed feed) : IContentHandler
{
    public async Task HandleAsync(ContentEvent change, CancellationToken cancellationToken)
    {
        if (!change.ChangesPublication)
        {
            return;
        }
        var type = change.Kind switch
        {
            ContentEventKind.Published => NotificationEvents.Published,
            ContentEventKind.Unpublished => NotificationEvents.Unpublished,
            ContentEventKind.Deleted => NotificationEvents.Deleted,
            _ => null,
        };
        if (type is null)
        {
            return;
        }
        db.Add(new OutboxEventRecord
        {
            Sequence = await feed.GetHeadAsync(cancellationToken), // the entry the feed's handler just wrote
            EventId = IdGenerator.NewId(),
            Type = type,
            ContentItemId = change.ContentItemId,
            ContentItemVersionId = change.ContentItemVersionId,
            ContentType = change.ContentType,
            Culture = change.Culture,
            OccurredUtc = change.OccurredUtc,
        });
        await db.SaveChangesAsync(cancellationToken);
    }
}
