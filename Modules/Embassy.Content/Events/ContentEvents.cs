using Embassy.Content.Data;

namespace Embassy.Content.Events;

public enum ContentEventKind { Created, DraftSaved, Published, Unpublished, Deleted }

/// <summary>
/// One change to a content item, as the modules that keep data derived from content see it (a DTO: no entity leaves
/// the content module). <see cref="LocalizationSets"/> are the translation sets whose publication the change touched
/// (the item's, and the previous published version's when it was in another).
/// </summary>
public sealed record ContentEvent(ContentEventKind Kind, string ContentItemId, string ContentItemVersionId, string ContentType, string? Culture,
    DateTime OccurredUtc, IReadOnlyList<string> LocalizationSets)
{
    /// <summary>Whether what is published changed (a publish, an unpublish, the deletion of a published item).</summary>
    public bool ChangesPublication { get; init; }

    internal static ContentEvent Of(ContentEventKind kind, ContentItemRecord record, DateTime occurredUtc, string? previousSet = null) =>
        new(kind, record.ContentItemId, record.ContentItemVersionId, record.ContentType, record.Culture, occurredUtc,
            new[] { record.LocalizationSet, previousSet }.OfType<string>().Distinct(StringComparer.Ordinal).ToList());
}

/// <summary>
/// Keeps something derived from content up to date. Handlers run inside the change's transaction, after the change is
/// saved and in the order they were registered: what they write commits with the change, and a handler that throws
/// undoes the whole change (nothing is announced that did not commit, nothing commits unannounced).
/// </summary>
public interface IContentHandler
{
    Task HandleAsync(ContentEvent change, CancellationToken cancellationToken);
}
