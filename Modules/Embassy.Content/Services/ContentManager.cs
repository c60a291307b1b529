using System.Text.Json.Nodes;
using Embassy.Content.Data;
using Embassy.Content.Models;
using Embassy.Content.Services.Operations;
using Embassy.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
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
/// Content items and their versions, read and changed: the facade the CMI, the APIs, recipes and the scheduler use.
/// Each change is its own operation (<see cref="IContentOperation"/>, in <c>Services/Operations</c>): one entry point
/// that checks rights, validates, changes records, raises events and audits, in one transaction (or the caller's, as
/// a recipe import's), with the change feed entry written in that same transaction.
/// </summary>
/// <remarks>
/// The rules every path is held to live in the operations, not in a form: content is validated and made safe
/// (<see cref="ContentValidation"/>) before it is stored, and a schedule is kept only when whoever sets it may
/// publish the type (<see cref="ContentRights"/>), checked again when the scheduler fires.
/// </remarks>
public sealed class ContentManager(EmbassyDbContext db, ContentValidation validation, IServiceProvider services)
{
    private IQueryable<ContentItemRecord> Items => db.Set<ContentItemRecord>();

    private T Operation<T>() where T : IContentOperation => services.GetRequiredService<T>();

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

    /// <inheritdoc cref="CreateContent"/>
    public Task<ContentItem> CreateAsync(NewContentItem request, CancellationToken cancellationToken) =>
        Operation<CreateContent>().RunAsync(request, cancellationToken);

    /// <inheritdoc cref="SaveDraft"/>
    public Task<ContentItem?> UpdateDraftAsync(string contentItemId, JsonObject content, string? author, CancellationToken cancellationToken) =>
        Operation<SaveDraft>().RunAsync(contentItemId, content, author, expectedRevision: null, cancellationToken);

    /// <inheritdoc cref="SaveDraft"/>
    public Task<ContentItem?> UpdateDraftAsync(string contentItemId, JsonObject content, string? author, string expectedRevision, CancellationToken cancellationToken) =>
        Operation<SaveDraft>().RunAsync(contentItemId, content, author, expectedRevision, cancellationToken);

    /// <inheritdoc cref="PublishContent"/>
    public Task<ContentItem?> PublishAsync(string contentItemId, CancellationToken cancellationToken) =>
        Operation<PublishContent>().RunAsync(contentItemId, cancellationToken);

    /// <inheritdoc cref="UnpublishContent"/>
    public Task<bool> UnpublishAsync(string contentItemId, CancellationToken cancellationToken) =>
        Operation<UnpublishContent>().RunAsync(contentItemId, cancellationToken);

    /// <inheritdoc cref="DeleteContent"/>
    public Task<bool> DeleteAsync(string contentItemId, CancellationToken cancellationToken) =>
        Operation<DeleteContent>().RunAsync(contentItemId, cancellationToken);

    /// <inheritdoc cref="RestoreVersion"/>
    public Task<ContentItem?> RestoreVersionAsync(string contentItemId, string contentItemVersionId, string? author, CancellationToken cancellationToken) =>
        Operation<RestoreVersion>().RunAsync(contentItemId, contentItemVersionId, author, cancellationToken);

    /// <inheritdoc cref="RunSchedules"/>
    public Task<int> RunSchedulesAsync(CancellationToken cancellationToken) => Operation<RunSchedules>().RunAsync(cancellationToken);

    /// <summary>Due schedules the last run did not honour: whoever set them may not publish the type (for the log).</summary>
    public List<string> NotHonoured => Operation<RunSchedules>().NotHonoured;

    /// <inheritdoc cref="ImportContent"/>
    public Task<ImportOutcome> ImportAsync(JsonObject json, ContentDefinitionSnapshot snapshot, CancellationToken cancellationToken) =>
        Operation<ImportContent>().RunAsync(json, snapshot, cancellationToken);

    /// <summary>How a culture appears in <see cref="ContentItemRecord.PublishedCultures"/>.</summary>
    public static string PublishedCultureMarker(string culture) => ContentVersions.PublishedCultureMarker(culture);

    /// <summary>A stored version as the model other modules read (the search index's feeder).</summary>
    public static ContentItem ToModelPublic(ContentItemRecord record) => ToModel(record);
}
