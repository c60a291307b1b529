using Embassy.Content.Models;
using Embassy.Core;
using Microsoft.EntityFrameworkCore;
using static Embassy.Content.Services.ContentJson;

namespace Embassy.Content.Services.Operations;

/// <summary>Publishes an item's latest version (a no-op when it is published already); null when there is no such item.</summary>
public sealed class PublishContent(ContentChanges changes, ContentValidation validation, ContentRights rights, ContentVersions versions) : IContentOperation
{
    public Task<ContentItem?> RunAsync(string contentItemId, CancellationToken cancellationToken) =>
        changes.InTransactionAsync(async () =>
        {
            var latest = await changes.Items.FirstOrDefaultAsync(i => i.ContentItemId == contentItemId && i.Latest, cancellationToken);
            if (latest is null)
            {
                return null;
            }
            if (!latest.Published)
            {
                rights.Demand(Permissions.PublishContent, latest.ContentType);
                await validation.RequirePublishableAsync(latest, cancellationToken);
                await versions.PublishAsync(latest, changes.Now, cancellationToken);
                changes.Audit("content.publish", latest);
                await changes.SaveAsync(cancellationToken);
            }
            return ToModel(latest);
        }, cancellationToken);
}
