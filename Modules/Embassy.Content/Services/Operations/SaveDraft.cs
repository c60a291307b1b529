using System.Text.Json.Nodes;
using Embassy.Content.Events;
using Embassy.Content.Models;
using Microsoft.EntityFrameworkCore;
using static Embassy.Content.Services.ContentColumns;
using static Embassy.Content.Services.ContentJson;

namespace Embassy.Content.Services.Operations;

/// <summary>
/// Saves a draft. When the latest version is published, the draft is a new version and the published one keeps
/// serving until the draft is published. With an expected revision (<see cref="ContentItem.Revision"/>), an item
/// saved by someone else since is not overwritten: <see cref="ContentConflictException"/> says who saved it.
/// </summary>
public sealed class SaveDraft(ContentChanges changes, ContentValidation validation, ContentRights rights, ContentVersions versions) : IContentOperation
{
    /// <param name="action">The audit entry's action: <c>content.update</c>, or what a caller does through a draft (a restore).</param>
    public async Task<ContentItem?> RunAsync(string contentItemId, JsonObject content, string? author, string? expectedRevision,
        CancellationToken cancellationToken, string action = "content.update")
    {
        ArgumentNullException.ThrowIfNull(content);
        var latestType = await changes.Items.AsNoTracking().Where(i => i.ContentItemId == contentItemId && i.Latest)
            .Select(i => i.ContentType).FirstOrDefaultAsync(cancellationToken);
        if (latestType is null)
        {
            return null;
        }
        var snapshot = await validation.LoadDefinitionsAsync(cancellationToken);
        await validation.PrepareAsync(latestType, content, snapshot, cancellationToken);
        return await changes.InTransactionAsync(async () =>
        {
            var latest = await changes.Items.FirstAsync(i => i.ContentItemId == contentItemId && i.Latest, cancellationToken);
            if (expectedRevision is not null && ToModel(latest).Revision != expectedRevision)
            {
                throw new ContentConflictException(ToModel(latest));
            }
            var previous = (latest.ScheduledPublishUtc, latest.ScheduledUnpublishUtc);
            var draft = latest.Published ? versions.NewFrom(latest) : latest;
            draft.ModifiedUtc = changes.Now;
            draft.Author = author ?? draft.Author;
            ApplyContent(draft, content, displayText: null, snapshot.Types[latestType], snapshot.Elements);
            rights.GuardSchedule(draft, previous);
            changes.Raise(ContentEventKind.DraftSaved, draft);
            changes.Audit(action, draft);
            await changes.SaveAsync(cancellationToken);
            return ToModel(draft);
        }, cancellationToken);
    }
}
