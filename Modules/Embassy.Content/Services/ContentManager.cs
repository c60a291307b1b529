using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Embassy.Content.Data;
using Embassy.Content.Events;
using Embassy.Content.Models;
using Embassy.Core;
using Microsoft.EntityFrameworkCore;
using static Embassy.Content.Services.ContentColumns;
using static Embassy.Content.Services.ContentJson;

namespace Embassy.Content.Services;

public sealed record NewContentItem(string ContentType, JsonObject Content)
{
    public string? ContentItemId { get; init; }
    public string? DisplayText { get; init; }
    public string? Owner { get; init; }
    public string? Author { get; init; }
    public bool Publish { get; init; }
}

public enum ImportOutcome
{
    Created,
    Updated,
    Unchanged,
}

/// <summary>
/// Content items and their versions: drafts, publishing, unpublishing, deletion, history and restore.
/// Every write is one transaction (or joins the caller's, as a recipe import does), and the change
/// feed entry for it is written in that same transaction.
/// </summary>
/// <remarks>
/// The rules every path is held to live here, not in a form: content is validated and made safe
/// (<see cref="ContentSafety"/>) before it is stored, and a schedule is kept only when whoever sets it may
/// publish the type (<see cref="CurrentActor"/>), checked again when the scheduler fires.
/// <para>The shared steps are named services: rights (<see cref="ContentRights"/>), validation
/// (<see cref="ContentValidation"/>), the derived columns (<see cref="ContentColumns"/>) and reading an item's JSON
/// (<see cref="ContentJson"/>); the audit log is <see cref="AuditLog"/>.</para>
/// </remarks>
public sealed class ContentManager(EmbassyDbContext db, TimeProvider clock, AuditLog audit, UserRights rights, IEnumerable<IContentHandler> handlers,
    ContentValidation validation, ContentRights guard)
{
    private IQueryable<ContentItemRecord> Items => db.Set<ContentItemRecord>();

    public async Task<ContentItem?> GetPublishedAsync(string contentItemId, CancellationToken cancellationToken)
    {
        var record = await Items.AsNoTracking().FirstOrDefaultAsync(i => i.ContentItemId == contentItemId && i.Published, cancellationToken);
        return record is null ? null : ToModel(record);
    }

    public async Task<ContentItem?> GetLatestAsync(string contentItemId, CancellationToken cancellationToken)
    {
        var record = await Items.AsNoTracking().FirstOrDefaultAsync(i => i.ContentItemId == contentItemId && i.Latest, cancellationToken);
        return record is null ? null : ToModel(record);
    }

    public async Task<ContentItem?> GetVersionAsync(string contentItemVersionId, CancellationToken cancellationToken)
    {
        var record = await Items.AsNoTracking().FirstOrDefaultAsync(i => i.ContentItemVersionId == contentItemVersionId, cancellationToken);
        return record is null ? null : ToModel(record);
    }

    public async Task<IReadOnlyList<ContentVersionSummary>> ListVersionsAsync(string contentItemId, CancellationToken cancellationToken) =>
        await Items.AsNoTracking()
            .Where(i => i.ContentItemId == contentItemId)
            .OrderByDescending(i => i.Id)
            .Select(i => new ContentVersionSummary(i.ContentItemVersionId, i.Latest, i.Published, i.CreatedUtc, i.ModifiedUtc,
                i.PublishedUtc, i.Author, i.DisplayText))
            .ToListAsync(cancellationToken);

    /// <summary>Loads the definitions once, for callers that validate many items.</summary>
    public Task<ContentDefinitionSnapshot> LoadDefinitionsAsync(CancellationToken cancellationToken) => validation.LoadDefinitionsAsync(cancellationToken);

    public async Task<ContentItem> CreateAsync(NewContentItem request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var snapshot = await LoadDefinitionsAsync(cancellationToken);
        await validation.PrepareAsync(request.ContentType, request.Content, snapshot, cancellationToken);
        // A translatable item starts in its own localization set (as Orchard's LocalizationPart does), so that a
        // translation made later joins it without a new version of this one.
        if (snapshot.Types[request.ContentType].Parts.Any(p => p.PartName == "LocalizationPart"))
        {
            var localization = request.Content["LocalizationPart"] as JsonObject ?? [];
            request.Content["LocalizationPart"] = localization;
            if (localization["LocalizationSet"] is not JsonValue set || string.IsNullOrEmpty(set.GetValueKind() == System.Text.Json.JsonValueKind.String ? (string?)set : null))
            {
                localization["LocalizationSet"] = IdGenerator.NewId();
            }
        }
        return await InTransactionAsync(async () =>
        {
            var now = Now;
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
            guard.GuardSchedule(record, previous: null);
            db.Add(record);
            Raise(ContentEventKind.Created, record);
            Audit("content.create", record);
            if (request.Publish)
            {
                await validation.RequirePublishableAsync(record, cancellationToken);
                await PublishRecordAsync(record, now, cancellationToken);
                Audit("content.publish", record);
            }
            await SaveAsync(cancellationToken);
            return ToModel(record);
        }, cancellationToken);
    }

    /// <summary>Saves a draft. When the latest version is published, the draft is a new version and the
    /// published one keeps serving until the draft is published.</summary>
    public Task<ContentItem?> UpdateDraftAsync(string contentItemId, JsonObject content, string? author, CancellationToken cancellationToken) =>
        UpdateDraftAsync(contentItemId, content, author, action: null, expectedRevision: null, cancellationToken);

    /// <summary>Saves a draft over the revision the caller started from (<see cref="ContentItem.Revision"/>); when the
    /// item was saved since, nothing is written and <see cref="ContentConflictException"/> says who saved it.</summary>
    public Task<ContentItem?> UpdateDraftAsync(string contentItemId, JsonObject content, string? author, string expectedRevision, CancellationToken cancellationToken) =>
        UpdateDraftAsync(contentItemId, content, author, action: null, expectedRevision, cancellationToken);

    private async Task<ContentItem?> UpdateDraftAsync(string contentItemId, JsonObject content, string? author, string? action, string? expectedRevision,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var latestType = await Items.AsNoTracking().Where(i => i.ContentItemId == contentItemId && i.Latest)
            .Select(i => i.ContentType).FirstOrDefaultAsync(cancellationToken);
        if (latestType is null)
        {
            return null;
        }
        var snapshot = await LoadDefinitionsAsync(cancellationToken);
        await validation.PrepareAsync(latestType, content, snapshot, cancellationToken);
        return await InTransactionAsync(async () =>
        {
            var latest = await Items.FirstAsync(i => i.ContentItemId == contentItemId && i.Latest, cancellationToken);
            if (expectedRevision is not null && ToModel(latest).Revision != expectedRevision)
            {
                throw new ContentConflictException(ToModel(latest));
            }
            var previous = (latest.ScheduledPublishUtc, latest.ScheduledUnpublishUtc);
            var draft = latest.Published ? NewVersionFrom(latest) : latest;
            draft.ModifiedUtc = Now;
            draft.Author = author ?? draft.Author;
            ApplyContent(draft, content, displayText: null, snapshot.Types[latestType], snapshot.Elements);
            guard.GuardSchedule(draft, previous);
            Raise(ContentEventKind.DraftSaved, draft);
            Audit(action ?? "content.update", draft);
            await SaveAsync(cancellationToken);
            return ToModel(draft);
        }, cancellationToken);
    }

    public async Task<ContentItem?> PublishAsync(string contentItemId, CancellationToken cancellationToken) =>
        await InTransactionAsync(async () =>
        {
            var latest = await Items.FirstOrDefaultAsync(i => i.ContentItemId == contentItemId && i.Latest, cancellationToken);
            if (latest is null)
            {
                return null;
            }
            if (!latest.Published)
            {
                guard.Demand(Permissions.PublishContent, latest.ContentType);
                await validation.RequirePublishableAsync(latest, cancellationToken);
                await PublishRecordAsync(latest, Now, cancellationToken);
                Audit("content.publish", latest);
                await SaveAsync(cancellationToken);
            }
            return ToModel(latest);
        }, cancellationToken);

    public async Task<bool> UnpublishAsync(string contentItemId, CancellationToken cancellationToken) =>
        await InTransactionAsync(async () =>
        {
            var published = await Items.FirstOrDefaultAsync(i => i.ContentItemId == contentItemId && i.Published, cancellationToken);
            if (published is null)
            {
                return false;
            }
            guard.Demand(Permissions.PublishContent, published.ContentType);
            published.Published = false;
            Raise(ContentEventKind.Unpublished, published);
            Audit("content.unpublish", published);
            await SaveAsync(cancellationToken);
            return true;
        }, cancellationToken);

    /// <summary>Deletes the item (as Orchard does, every version stays in history, none is latest or published).</summary>
    public async Task<bool> DeleteAsync(string contentItemId, CancellationToken cancellationToken) =>
        await InTransactionAsync(async () =>
        {
            var live = await Items.Where(i => i.ContentItemId == contentItemId && (i.Latest || i.Published)).ToListAsync(cancellationToken);
            if (live.Count == 0)
            {
                return false;
            }
            guard.Demand(Permissions.DeleteContent, live[0].ContentType);
            var wasPublished = live.FirstOrDefault(i => i.Published);
            foreach (var version in live)
            {
                version.Latest = false;
                version.Published = false;
            }
            // A deletion the app saw (of a published item) changes what is published; a draft's does not.
            Raise(ContentEventKind.Deleted, wasPublished ?? live[0], changesPublication: wasPublished is not null);
            Audit("content.delete", live[0]);
            await SaveAsync(cancellationToken);
            return true;
        }, cancellationToken);

    /// <summary>Makes an old version's content the new draft; history is kept.</summary>
    public async Task<ContentItem?> RestoreVersionAsync(string contentItemId, string contentItemVersionId, string? author, CancellationToken cancellationToken)
    {
        var version = await Items.AsNoTracking()
            .FirstOrDefaultAsync(i => i.ContentItemId == contentItemId && i.ContentItemVersionId == contentItemVersionId, cancellationToken);
        if (version is null)
        {
            return null;
        }
        var latest = await Items.AsNoTracking().FirstOrDefaultAsync(i => i.ContentItemId == contentItemId && i.Latest, cancellationToken);
        if (latest is not null)
        {
            var restored = ContentDefinitionStore.ParseObject(version.Data);
            // Which translations an item belongs to is not content: the current link survives a restore.
            if (ContentDefinitionStore.ParseObject(latest.Data)["LocalizationPart"] is JsonObject localization)
            {
                restored["LocalizationPart"] = localization.DeepClone();
            }
            return await UpdateDraftAsync(contentItemId, restored, author, "content.restore", expectedRevision: null, cancellationToken);
        }
        // A deleted item comes back as a draft of the restored version, held to today's rules like any write.
        var snapshot = await LoadDefinitionsAsync(cancellationToken);
        var content = ContentDefinitionStore.ParseObject(version.Data);
        await validation.PrepareAsync(version.ContentType, content, snapshot, cancellationToken);
        return await InTransactionAsync(async () =>
        {
            var restored = NewVersionFrom(version);
            restored.ModifiedUtc = Now;
            restored.Author = author ?? restored.Author;
            ApplyContent(restored, content, displayText: null, snapshot.Types[version.ContentType], snapshot.Elements);
            guard.GuardSchedule(restored, previous: null);
            Raise(ContentEventKind.DraftSaved, restored);
            Audit("content.restore", restored);
            await SaveAsync(cancellationToken);
            return ToModel(restored);
        }, cancellationToken);
    }

    /// <summary>
    /// Honours schedules that are due: publishes latest versions whose ScheduledPublishUtc has come, and
    /// unpublishes items whose ScheduledUnpublishUtc has come. Returns how many items changed.
    /// </summary>
    public async Task<int> RunSchedulesAsync(CancellationToken cancellationToken)
    {
        var now = Now;
        var duePublish = await Items.AsNoTracking().Where(i => i.Latest && !i.Published && i.ScheduledPublishUtc != null && i.ScheduledPublishUtc <= now)
            .Select(i => new { i.ContentItemId, i.ContentType, i.ScheduledBy }).ToListAsync(cancellationToken);
        // "Unpublish at" is honoured from the published version and from a draft saved after it (an editor who sets it
        // with Save draft means the live item), for items that are published.
        var dueUnpublish = (await Items.AsNoTracking()
            .Where(i => (i.Published || i.Latest) && i.ScheduledUnpublishUtc != null && i.ScheduledUnpublishUtc <= now
                && Items.Any(p => p.ContentItemId == i.ContentItemId && p.Published))
            .Select(i => new { i.ContentItemId, i.ContentType, i.ScheduledBy }).ToListAsync(cancellationToken))
            .DistinctBy(i => i.ContentItemId).ToList();
        // A schedule is honoured only if whoever last saved it may still publish the type (not locked out, not demoted).
        var toPublish = await HonouredAsync(duePublish.Select(d => (d.ContentItemId, d.ContentType, d.ScheduledBy)));
        var toUnpublish = await HonouredAsync(dueUnpublish.Select(d => (d.ContentItemId, d.ContentType, d.ScheduledBy)));
        foreach (var id in toPublish)
        {
            await PublishAsync(id, cancellationToken);
        }
        foreach (var id in toUnpublish)
        {
            if (await UnpublishAsync(id, cancellationToken))
            {
                // Done: the schedule must not unpublish the item again when an editor republishes it.
                await Items.Where(i => i.ContentItemId == id).ExecuteUpdateAsync(s => s.SetProperty(i => i.ScheduledUnpublishUtc, (DateTime?)null), cancellationToken);
            }
        }
        return toPublish.Count + toUnpublish.Count;
    }

    private async Task<List<string>> HonouredAsync(IEnumerable<(string Id, string Type, string? ScheduledBy)> due)
    {
        var honoured = new List<string>();
        foreach (var (id, type, scheduledBy) in due.DistinctBy(d => d.Id))
        {
            if (await rights.CanAsync(scheduledBy, Permissions.PublishContent, type))
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

    /// <summary>Due schedules the last run did not honour: whoever set them may not publish the type (for the log).</summary>
    public List<string> NotHonoured { get; } = [];

    /// <summary>
    /// Imports an item in Orchard's JSON shape (a recipe's content step). Importing the same item twice
    /// changes nothing the second time; a changed item becomes a new version (the old one is kept).
    /// </summary>
    public async Task<ImportOutcome> ImportAsync(JsonObject json, ContentDefinitionSnapshot snapshot, CancellationToken cancellationToken)
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
        foreach (var (key, value) in json)
        {
            if (!ContentItem.WellKnownProperties.Contains(key))
            {
                content[key] = value?.DeepClone();
            }
        }
        await validation.PrepareAsync(contentType, content, snapshot, cancellationToken);
        var published = ReadBool(json, "Published") ?? false;
        var displayText = ReadString(json, "DisplayText");
        var owner = ReadString(json, "Owner");
        var author = ReadString(json, "Author");
        var now = Now;

        var latest = await Items.FirstOrDefaultAsync(i => i.ContentItemId == contentItemId && i.Latest, cancellationToken);
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
            db.Add(target);
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
            target = NewVersionFrom(latest, versionId == latest.ContentItemVersionId ? null : versionId);
            if (!published && latest.Published)
            {
                latest.Published = false;
                Raise(ContentEventKind.Unpublished, latest);
            }
        }
        target.Owner = owner;
        target.Author = author;
        target.ModifiedUtc = ReadDate(json, "ModifiedUtc") ?? now;
        ApplyContent(target, content, displayText, snapshot.Types[contentType], snapshot.Elements);
        guard.GuardSchedule(target, previousSchedule);
        Raise(latest is null ? ContentEventKind.Created : ContentEventKind.DraftSaved, target);
        if (published && !target.Published)
        {
            await PublishRecordAsync(target, ReadDate(json, "PublishedUtc") ?? now, cancellationToken);
        }
        else if (!published && target.Published)
        {
            target.Published = false;
            Raise(ContentEventKind.Unpublished, target);
        }
        await SaveAsync(cancellationToken);
        // Everything is saved: an import of thousands of items must not make each SaveChanges scan them all.
        db.ChangeTracker.Clear();
        return latest is null ? ImportOutcome.Created : ImportOutcome.Updated;
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>The changes made since the last save, for the event handlers.</summary>
    private readonly List<ContentEvent> _events = [];

    private void Raise(ContentEventKind kind, ContentItemRecord record, string? previousSet = null, bool? changesPublication = null) =>
        _events.Add(ContentEvent.Of(kind, record, Now, previousSet) with
        {
            ChangesPublication = changesPublication ?? kind is ContentEventKind.Published or ContentEventKind.Unpublished or ContentEventKind.Deleted,
        });

    /// <summary>Saves, then lets every handler see each change, in the caller's transaction (see IContentHandler).</summary>
    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        await db.SaveChangesAsync(cancellationToken);
        while (_events.Count > 0)
        {
            var changes = _events.ToList();
            _events.Clear();
            foreach (var change in changes)
            {
                foreach (var handler in handlers)
                {
                    await handler.HandleAsync(change, cancellationToken);
                }
            }
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    /// <summary>How a culture appears in <see cref="ContentItemRecord.PublishedCultures"/>.</summary>
    public static string PublishedCultureMarker(string culture) => "|" + culture + "|";

    private async Task PublishRecordAsync(ContentItemRecord record, DateTime publishedUtc, CancellationToken cancellationToken)
    {
        var previous = await Items.Where(i => i.ContentItemId == record.ContentItemId && i.Published).ToListAsync(cancellationToken);
        string? previousSet = null;
        foreach (var old in previous.Where(p => p != record))
        {
            old.Published = false;
            previousSet = old.LocalizationSet;
        }
        record.Published = true;
        record.PublishedUtc = publishedUtc;
        Raise(ContentEventKind.Published, record, previousSet);
    }

    private ContentItemRecord NewVersionFrom(ContentItemRecord source, string? versionId = null)
    {
        var latest = db.Set<ContentItemRecord>().Local.Where(i => i.ContentItemId == source.ContentItemId && i.Latest);
        foreach (var l in latest)
        {
            l.Latest = false;
        }
        source.Latest = false;
        var version = new ContentItemRecord
        {
            ContentItemId = source.ContentItemId,
            ContentItemVersionId = versionId ?? IdGenerator.NewId(),
            ContentType = source.ContentType,
            DisplayText = source.DisplayText,
            Culture = source.Culture,
            LocalizationSet = source.LocalizationSet,
            Alias = source.Alias,
            Path = source.Path,
            Latest = true,
            Published = false,
            CreatedUtc = source.CreatedUtc,
            ModifiedUtc = source.ModifiedUtc,
            Owner = source.Owner,
            Author = source.Author,
            StartUtc = source.StartUtc,
            ScheduledPublishUtc = source.ScheduledPublishUtc,
            ScheduledUnpublishUtc = source.ScheduledUnpublishUtc,
            EndUtc = source.EndUtc,
            SortOrder = source.SortOrder,
            Data = source.Data,
        };
        db.Add(version);
        return version;
    }

    private void Audit(string action, ContentItemRecord record) =>
        audit.Stage(action, record.ContentItemId, $"{record.ContentType} \"{record.DisplayText}\"{(record.Culture is null ? "" : $" ({record.Culture})")}");

    private async Task<T> InTransactionAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            return await work();
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            var result = await work();
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        catch
        {
            db.ChangeTracker.Clear();
            _events.Clear();
            throw;
        }
    }

    /// <summary>A stored version as the model other modules read (the search index's feeder).</summary>
    public static ContentItem ToModelPublic(ContentItemRecord record) => ToModel(record);

}
