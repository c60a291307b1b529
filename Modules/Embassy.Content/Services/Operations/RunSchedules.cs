using Embassy.Core;
using Microsoft.EntityFrameworkCore;

namespace Embassy.Content.Services.Operations;

/// <summary>
/// Honours schedules that are due: publishes latest versions whose ScheduledPublishUtc has come, and unpublishes items
/// whose ScheduledUnpublishUtc has come, each through <see cref="PublishContent"/> and <see cref="UnpublishContent"/>
/// (their rights, validation and audit). A schedule is honoured only if whoever last saved it may still publish the
/// type (not locked out, not demoted); the others are in <see cref="NotHonoured"/>, for the log.
/// </summary>
public sealed class RunSchedules(ContentChanges changes, UserRights userRights, PublishContent publish, UnpublishContent unpublish) : IContentOperation
{
    /// <summary>Due schedules the last run did not honour: whoever set them may not publish the type.</summary>
    public List<string> NotHonoured { get; } = [];

    /// <summary>Returns how many items changed.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = changes.Now;
        var items = changes.Items.AsNoTracking();
        var duePublish = await items.Where(i => i.Latest && !i.Published && i.ScheduledPublishUtc != null && i.ScheduledPublishUtc <= now)
            .Select(i => new { i.ContentItemId, i.ContentType, i.ScheduledBy }).ToListAsync(cancellationToken);
        // "Unpublish at" is honoured from the published version and from a draft saved after it (an editor who sets it
        // with Save draft means the live item), for items that are published.
        var dueUnpublish = (await items
            .Where(i => (i.Published || i.Latest) && i.ScheduledUnpublishUtc != null && i.ScheduledUnpublishUtc <= now
                && changes.Items.Any(p => p.ContentItemId == i.ContentItemId && p.Published))
            .Select(i => new { i.ContentItemId, i.ContentType, i.ScheduledBy }).ToListAsync(cancellationToken))
            .DistinctBy(i => i.ContentItemId).ToList();
        var toPublish = await HonouredAsync(duePublish.Select(d => (d.ContentItemId, d.ContentType, d.ScheduledBy)));
        var toUnpublish = await HonouredAsync(dueUnpublish.Select(d => (d.ContentItemId, d.ContentType, d.ScheduledBy)));
        foreach (var id in toPublish)
        {
            await publish.RunAsync(id, cancellationToken);
        }
        foreach (var id in toUnpublish)
        {
            if (await unpublish.RunAsync(id, cancellationToken))
            {
                // Done: the schedule must not unpublish the item again when an editor republishes it.
                await changes.Items.Where(i => i.ContentItemId == id)
                    .ExecuteUpdateAsync(s => s.SetProperty(i => i.ScheduledUnpublishUtc, (DateTime?)null), cancellationToken);
            }
        }
        return toPublish.Count + toUnpublish.Count;
    }

    private async Task<List<string>> HonouredAsync(IEnumerable<(string Id, string Type, string? ScheduledBy)> due)
    {
        var honoured = new List<string>();
        foreach (var (id, type, scheduledBy) in due.DistinctBy(d => d.Id))
        {
            if (await userRights.CanAsync(scheduledBy, Permissions.PublishContent, type))
            {
                honoured.Add(id);
            }
            else
            {
                NotHonoured.Add(id);
            }
        }
        return honoured;
    }
}
