namespace Embassy.Content.Data;

/// <summary>One version of a content item. The parts live in <see cref="Data"/> as Orchard-shaped JSON;
/// the columns beside it are what queries filter and sort on.</summary>
public sealed class ContentItemRecord
{
    public long Id { get; set; }
    public string ContentItemId { get; set; } = "";
    public string ContentItemVersionId { get; set; } = "";
    public string ContentType { get; set; } = "";
    public string DisplayText { get; set; } = "";
    public string? Culture { get; set; }
    public string? LocalizationSet { get; set; }
    public string? Alias { get; set; }
    public string? Path { get; set; }
    public bool Latest { get; set; }
    public bool Published { get; set; }
    public DateTime CreatedUtc { get; set; }
    public DateTime ModifiedUtc { get; set; }
    public DateTime? PublishedUtc { get; set; }
    public string? Owner { get; set; }
    public string? Author { get; set; }
    /// <summary>Derived from the field the type names as its start (ContentApiSettings.StartField), e.g. an event's start.</summary>
    public DateTime? StartUtc { get; set; }
    /// <summary>Derived from ContentApiSettings.EndField, e.g. an event's end or an alert's expiry.</summary>
    public DateTime? EndUtc { get; set; }
    /// <summary>Derived from ContentApiSettings.OrderField (a numeric field), the type's natural order.</summary>
    public double? SortOrder { get; set; }
    /// <summary>PublishLaterPart.ScheduledPublishUtc: when the scheduler publishes this (latest, unpublished) version.</summary>
    public DateTime? ScheduledPublishUtc { get; set; }
    /// <summary>ArchiveLaterPart.ScheduledArchiveUtc: when the scheduler unpublishes the item.</summary>
    public DateTime? ScheduledUnpublishUtc { get; set; }
    /// <summary>
    /// Who last saved this version with a schedule (a user id, or "@system" for setup and the recipes command). A
    /// schedule is honoured only if that user may publish the type when it fires.
    /// </summary>
    public string? ScheduledBy { get; set; }
    /// <summary>Parts and any other properties, as JSON text, kept exactly as they came.</summary>
    public string Data { get; set; } = "{}";
    /// <summary>
    /// On a published version in a localization set: the cultures in which the set has a published version, as
    /// "|en|pl|", kept by ContentManager whenever a publication changes. A list's culture fallback reads it from the
    /// list index ("is there a translation in an earlier culture of the chain?") instead of looking the set up.
    /// </summary>
    public string? PublishedCultures { get; set; }
}

public sealed class ContentTypeRecord
{
    public string Name { get; set; } = "";
    public string DisplayName { get; set; } = "";
    /// <summary>The whole type definition in Orchard's recipe shape.</summary>
    public string Definition { get; set; } = "{}";
}

public sealed class ContentPartRecord
{
    public string Name { get; set; } = "";
    public string Definition { get; set; } = "{}";
}

public enum ChangeKind
{
    Published = 1,
    Unpublished = 2,
    Deleted = 3,
}

/// <summary>An append-only log of what the mobile app must learn about. Sequence numbers are
/// allocated under the row lock of <see cref="ChangeFeedHead"/>, so they commit in order.</summary>
public sealed class ChangeFeedEntry
{
    public long Sequence { get; set; }
    public ChangeKind Kind { get; set; }
    public string ContentItemId { get; set; } = "";
    public string? ContentItemVersionId { get; set; }
    public string ContentType { get; set; } = "";
    public string? Culture { get; set; }
    public DateTime OccurredUtc { get; set; }
}

/// <summary>The single row every server polls to learn that content changed: the feed's last sequence
/// number and a counter of content definition changes.</summary>
public sealed class ChangeFeedHead
{
    public int Id { get; set; }
    public long Sequence { get; set; }
    public long DefinitionsVersion { get; set; }

    /// <summary>Moves with every write of the media index (<see cref="Embassy.Core.IMediaVersion"/>).</summary>
    public long MediaVersion { get; set; }
}

/// <summary>
/// Where an item stands among its translations (<see cref="Events.TranslationStepHandler"/>): a translation set's revision
/// is the highest <see cref="InStepWith"/> of its items; an item below it has a translation edited since it last was.
/// </summary>
public sealed class TranslationStepRecord
{
    public string ContentItemId { get; set; } = "";
    public string LocalizationSet { get; set; } = "";
    public int InStepWith { get; set; }
}
