using Embassy.Content.Data;
using Embassy.Content.Events;
using Embassy.Core;
using Microsoft.EntityFrameworkCore;

namespace Embassy.Content.Services.Operations;

/// <summary>Versioning, the step every operation that changes content shares: a new version from the latest, and
/// publishing a version (the one published before stops being so).</summary>
public sealed class ContentVersions(ContentChanges changes)
{
    /// <summary>How a culture appears in <see cref="ContentItemRecord.PublishedCultures"/>.</summary>
    public static string PublishedCultureMarker(string culture) => "|" + culture + "|";

    /// <summary>Publishes <paramref name="record"/>; the version published before is unpublished (its translation set
    /// goes with the event, so the derived tables can move it).</summary>
    public async Task PublishAsync(ContentItemRecord record, DateTime publishedUtc, CancellationToken cancellationToken)
    {
        var previous = await changes.Items.Where(i => i.ContentItemId == record.ContentItemId && i.Published).ToListAsync(cancellationToken);
        string? previousSet = null;
        foreach (var old in previous.Where(p => p != record))
        {
            old.Published = false;
            previousSet = old.LocalizationSet;
        }
        record.Published = true;
        record.PublishedUtc = publishedUtc;
        changes.Raise(ContentEventKind.Published, record, previousSet);
    }

    /// <summary>A new latest version with <paramref name="source"/>'s content (not published); the old latest stays in history.</summary>
    public ContentItemRecord NewFrom(ContentItemRecord source, string? versionId = null)
    {
        foreach (var latest in changes.Db.Set<ContentItemRecord>().Local.Where(i => i.ContentItemId == source.ContentItemId && i.Latest))
        {
            latest.Latest = false;
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
        changes.Db.Add(version);
        return version;
    }
}
