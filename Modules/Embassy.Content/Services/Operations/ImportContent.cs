using System.Text.Json.Nodes;
using Embassy.Content.Data;
using Embassy.Content.Events;
using Embassy.Content.Models;
using Embassy.Core;
using Microsoft.EntityFrameworkCore;
using static Embassy.Content.Services.ContentColumns;
using static Embassy.Content.Services.ContentJson;

namespace Embassy.Content.Services.Operations;

/// <summary>
/// Imports an item in Orchard's JSON shape (a recipe's content step), in the recipe's transaction. Importing the same
/// item twice changes nothing the second time; a changed item becomes a new version (the old one is kept). The
/// recipe run is what is audited (one entry per recipe, by whoever ran it), not each of its items.
/// </summary>
public sealed class ImportContent(ContentChanges changes, ContentValidation validation, ContentRights rights, ContentVersions versions) : IContentOperation
{
    public async Task<ImportOutcome> RunAsync(JsonObject json, ContentDefinitionSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(snapshot);
        var contentType = ReadString(json, "ContentType") ?? throw new ContentValidationException("ContentType is missing");
        var contentItemId = ReadString(json, "ContentItemId") ?? IdGenerator.NewId();
        var versionId = ReadString(json, "ContentItemVersionId");
        if (contentItemId.Length > ContentModel.IdLength || versionId?.Length > ContentModel.IdLength)
        {
            throw new ContentValidationException($"ContentItemId and ContentItemVersionId are at most {ContentModel.IdLength} characters");
        }
        var content = new JsonObject();
        foreach (var (key, value) in json.Where(p => !ContentItem.WellKnownProperties.Contains(p.Key)))
        {
            content[key] = value?.DeepClone();
        }
        await validation.PrepareAsync(contentType, content, snapshot, cancellationToken);
        var published = ReadBool(json, "Published") ?? false;
        var displayText = ReadString(json, "DisplayText");
        var owner = ReadString(json, "Owner");
        var author = ReadString(json, "Author");
        var now = changes.Now;

        var latest = await changes.Items.FirstOrDefaultAsync(i => i.ContentItemId == contentItemId && i.Latest, cancellationToken);
        if (latest is not null && latest.ContentType != contentType)
        {
            throw new ContentValidationException($"content item {contentItemId} is a {latest.ContentType}, not a {contentType}");
        }
        if (latest is not null && latest.Published == published && latest.Owner == owner && latest.Author == author &&
            latest.DisplayText == (displayText ?? DerivedDisplayText(content, latest.DisplayText)) &&
            JsonNode.DeepEquals(ContentDefinitionStore.ParseObject(latest.Data), content))
        {
            return ImportOutcome.Unchanged;
        }

        var previousSchedule = latest is null ? ((DateTime?, DateTime?)?)null : (latest.ScheduledPublishUtc, latest.ScheduledUnpublishUtc);
        ContentItemRecord target;
        if (latest is null)
        {
            target = new ContentItemRecord
            {
                ContentItemId = contentItemId,
                ContentItemVersionId = versionId ?? IdGenerator.NewId(),
                ContentType = contentType,
                Latest = true,
                CreatedUtc = ReadDate(json, "CreatedUtc") ?? now,
            };
            changes.Db.Add(target);
        }
        else if (latest.PublishedUtc is null)
        {
            target = latest;
        }
        else
        {
            // Content that servers may have served (a version published now or before) is never changed in place:
            // the change feed and the API's item cache name content by version and publication date. The change
            // becomes a new version: the recipe's version id when it names another one, else a new id.
            target = versions.NewFrom(latest, versionId == latest.ContentItemVersionId ? null : versionId);
            if (!published && latest.Published)
            {
                latest.Published = false;
                changes.Raise(ContentEventKind.Unpublished, latest);
            }
        }
        target.Owner = owner;
        target.Author = author;
        target.ModifiedUtc = ReadDate(json, "ModifiedUtc") ?? now;
        ApplyContent(target, content, displayText, snapshot.Types[contentType], snapshot.Elements);
        rights.GuardSchedule(target, previousSchedule);
        changes.Raise(latest is null ? ContentEventKind.Created : ContentEventKind.DraftSaved, target);
        if (published && !target.Published)
        {
            await versions.PublishAsync(target, ReadDate(json, "PublishedUtc") ?? now, cancellationToken);
        }
        else if (!published && target.Published)
        {
            target.Published = false;
            changes.Raise(ContentEventKind.Unpublished, target);
        }
        await changes.SaveAsync(cancellationToken);
        // Everything is saved: an import of thousands of items must not make each SaveChanges scan them all.
        changes.Db.ChangeTracker.Clear();
        return latest is null ? ImportOutcome.Created : ImportOutcome.Updated;
    }
}
