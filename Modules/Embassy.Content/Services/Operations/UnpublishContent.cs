using Embassy.Content.Events;
using Embassy.Core;
using Microsoft.EntityFrameworkCore;

namespace Embassy.Content.Services.Operations;

/// <summary>Takes an item out of the app's view; its versions stay. False when nothing of it was published.</summary>
public sealed class UnpublishContent(ContentChanges changes, ContentRights rights) : IContentOperation
{
    public Task<bool> RunAsync(string contentItemId, CancellationToken cancellationToken) =>
        changes.InTransactionAsync(async () =>
        {
            var published = await changes.Items.FirstOrDefaultAsync(i => i.ContentItemId == contentItemId && i.Published, cancellationToken);
            if (published is null)
            {
                return false;
            }
            rights.Demand(Permissions.PublishContent, published.ContentType);
            published.Published = false;
            changes.Raise(ContentEventKind.Unpublished, published);
            changes.Audit("content.unpublish", published);
            await changes.SaveAsync(cancellationToken);
            return true;
        }, cancellationToken);
}
