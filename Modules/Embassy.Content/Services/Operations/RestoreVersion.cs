using System.Text.Json.Nodes;
using Embassy.Content.Events;
using Embassy.Content.Models;
using Microsoft.EntityFrameworkCore;
using static Embassy.Content.Services.ContentColumns;
using static Embassy.Content.Services.ContentJson;

namespace Embassy.Content.Services.Operations;

/// <summary>Makes an old version's content the new draft, history kept; a deleted item comes back as that draft.</summary>
public sealed class RestoreVersion(ContentChanges changes, ContentValidation validation, ContentRights rights, ContentVersions versions, SaveDraft saveDraft)
    : IContentOperation
{
    public async Task<ContentItem?> RunAsync(string contentItemId, string contentItemVersionId, string? author, CancellationToken cancellationToken)
    {
        var version = await changes.Items.AsNoTracking()
            .FirstOrDefaultAsync(i => i.ContentItemId == contentItemId && i.ContentItemVersionId == contentItemVersionId, cancellationToken);
        if (version is null)
        {
            return null;
        }
        var latest = await changes.Items.AsNoTracking().FirstOrDefaultAsync(i => i.ContentItemId == contentItemId && i.Latest, cancellationToken);
        var content = ContentDefinitionStore.ParseObject(version.Data);
        if (latest is not null)
        {
            // Which translations an item belongs to is not content: the current link survives a restore.
            if (ContentDefinitionStore.ParseObject(latest.Data)["LocalizationPart"] is JsonObject localization)
            {
                content["LocalizationPart"] = localization.DeepClone();
            }
            return await saveDraft.RunAsync(contentItemId, content, author, expectedRevision: null, cancellationToken, action: "content.restore");
        }
        // A deleted item comes back as a draft of the restored version, held to today's rules like any write.
        var snapshot = await validation.LoadDefinitionsAsync(cancellationToken);
        await validation.PrepareAsync(version.ContentType, content, snapshot, cancellationToken);
        return await changes.InTransactionAsync(async () =>
        {
            var restored = versions.NewFrom(version);
            restored.ModifiedUtc = changes.Now;
            restored.Author = author ?? restored.Author;
            ApplyContent(restored, content, displayText: null, snapshot.Types[version.ContentType], snapshot.Elements);
            rights.GuardSchedule(restored, previous: null);
            changes.Raise(ContentEventKind.DraftSaved, restored);
            changes.Audit("content.restore", restored);
            await changes.SaveAsync(cancellationToken);
            return ToModel(restored);
        }, cancellationToken);
    }
}
