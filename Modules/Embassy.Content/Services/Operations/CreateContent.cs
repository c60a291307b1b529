using System.Text.Json;
using System.Text.Json.Nodes;
using Embassy.Content.Data;
using Embassy.Content.Events;
using Embassy.Content.Models;
using Embassy.Core;
using static Embassy.Content.Services.ContentColumns;
using static Embassy.Content.Services.ContentJson;

namespace Embassy.Content.Services.Operations;

/// <summary>Creates an item (its first version), published at once when <see cref="NewContentItem.Publish"/> says so.</summary>
public sealed class CreateContent(ContentChanges changes, ContentValidation validation, ContentRights rights, ContentVersions versions) : IContentOperation
{
    public async Task<ContentItem> RunAsync(NewContentItem request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var snapshot = await validation.LoadDefinitionsAsync(cancellationToken);
        await validation.PrepareAsync(request.ContentType, request.Content, snapshot, cancellationToken);
        // A translatable item starts in its own localization set (as Orchard's LocalizationPart does), so that a
        // translation made later joins it without a new version of this one.
        if (snapshot.Types[request.ContentType].Parts.Any(p => p.PartName == "LocalizationPart"))
        {
            var localization = request.Content["LocalizationPart"] as JsonObject ?? [];
            request.Content["LocalizationPart"] = localization;
            if (localization["LocalizationSet"] is not JsonValue set || string.IsNullOrEmpty(set.GetValueKind() == JsonValueKind.String ? (string?)set : null))
            {
                localization["LocalizationSet"] = IdGenerator.NewId();
            }
        }
        return await changes.InTransactionAsync(async () =>
        {
            var now = changes.Now;
            var record = new ContentItemRecord
            {
                ContentItemId = request.ContentItemId ?? IdGenerator.NewId(),
                ContentItemVersionId = IdGenerator.NewId(),
                ContentType = request.ContentType,
                Latest = true,
                CreatedUtc = now,
                ModifiedUtc = now,
                Owner = request.Owner,
                Author = request.Author ?? request.Owner,
            };
            ApplyContent(record, request.Content, request.DisplayText, snapshot.Types[request.ContentType], snapshot.Elements);
            rights.GuardSchedule(record, previous: null);
            if (request.Publish)
            {
                rights.Demand(Permissions.PublishContent, request.ContentType);
                await validation.RequirePublishableAsync(record, cancellationToken);
            }
            changes.Db.Add(record);
            changes.Raise(ContentEventKind.Created, record);
            changes.Audit("content.create", record);
            if (request.Publish)
            {
                await versions.PublishAsync(record, now, cancellationToken);
                changes.Audit("content.publish", record);
            }
            await changes.SaveAsync(cancellationToken);
            return ToModel(record);
        }, cancellationToken);
    }
}
