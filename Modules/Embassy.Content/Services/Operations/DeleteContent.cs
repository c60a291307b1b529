using Embassy.Content.Events;
using Embassy.Core;
using Microsoft.EntityFrameworkCore;

namespace Embassy.Content.Services.Operations;

/// <summary>Deletes an item. As Orchard does, every version stays in history, none is latest or published; a
/// deleted item can be restored from its history (<see cref="RestoreVersion"/>).</summary>
public sealed class DeleteContent(ContentChanges changes, ContentRights rights) : IContentOperation
{
    public Task<bool> RunAsync(string contentItemId, CancellationToken cancellationToken) =>
        changes.InTransactionAsync(async () =>
        {
            var live = await changes.Items.Where(i => i.ContentItemId == contentItemId && (i.Latest || i.Published)).ToListAsync(cancellationToken);
            if (live.Count == 0)
            {
                return false;
            }
            rights.Demand(Permissions.DeleteContent, live[0].ContentType);
            var wasPublished = live.FirstOrDefault(i => i.Published);
            foreach (var version in live)
            {
                version.Latest = false;
                version.Published = false;
            }
            // A deletion the app saw (of a published item) changes what is published; a draft's does not.
            changes.Raise(ContentEventKind.Deleted, wasPublished ?? live[0], changesPublication: wasPublished is not null);
            changes.Audit("content.delete", live[0]);
            await changes.SaveAsync(cancellationToken);
            return true;
        }, cancellationToken);
}
