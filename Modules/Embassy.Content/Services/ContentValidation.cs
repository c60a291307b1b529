using System.Text.Json.Nodes;
using Embassy.Content.Data;
using Embassy.Content.Models;
using Embassy.Core;
using Microsoft.EntityFrameworkCore;

namespace Embassy.Content.Services;

/// <summary>
/// The content core's validation, one step every operation uses (ContentManager, its import): an item's shape is
/// checked and made safe before it is stored, its HTML's links to this site's items are marked, and a version is
/// published only when its type's parts have what they need.
/// </summary>
public sealed class ContentValidation(EmbassyDbContext db, ContentDefinitionStore definitions, Embassy.Content.Elements.ContentElements elements)
{
    /// <summary>Loads the definitions once, for callers that validate many items.</summary>
    public async Task<ContentDefinitionSnapshot> LoadDefinitionsAsync(CancellationToken cancellationToken)
    {
        var types = await definitions.ListTypesAsync(cancellationToken);
        var parts = await definitions.ListPartsAsync(cancellationToken);
        return new(types.ToDictionary(t => t.Name, StringComparer.Ordinal), parts.ToDictionary(p => p.Name, StringComparer.Ordinal)) { Elements = elements };
    }

    /// <summary>Checks the item and makes it safe (<see cref="ThrowIfInvalid"/>), then marks its HTML's links to items of this
    /// site by path with those items' ids (<see cref="Embassy.Content.Elements.RichText.MarkLinkedItems"/>).</summary>
    public async Task PrepareAsync(string contentType, JsonObject content, ContentDefinitionSnapshot snapshot, CancellationToken cancellationToken)
    {
        ThrowIfInvalid(contentType, content, snapshot);
        var html = new List<JsonObject>();
        ContentJson.FindHtml(content, html, 0);
        var paths = html.SelectMany(h => Embassy.Content.Elements.RichText.LinkedPaths((string)h["Html"]!)).Distinct(StringComparer.Ordinal).Take(200).ToList();
        if (paths.Count == 0 && !html.Any(h => ((string)h["Html"]!).Contains("data-content-item-id", StringComparison.Ordinal)))
        {
            return;
        }
        // The item at each path: the published one, else the newest draft (a link written before its target is published).
        var found = paths.Count == 0 ? [] : await db.Set<ContentItemRecord>().AsNoTracking().Where(i => i.Path != null && paths.Contains(i.Path) && (i.Published || i.Latest))
            .Select(i => new { i.Path, i.ContentItemId, i.Published, i.ModifiedUtc }).ToListAsync(cancellationToken);
        var items = found.GroupBy(i => i.Path!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(i => i.Published).ThenByDescending(i => i.ModifiedUtc).First().ContentItemId, StringComparer.Ordinal);
        foreach (var value in html)
        {
            value["Html"] = Embassy.Content.Elements.RichText.MarkLinkedItems((string)value["Html"]!, items);
        }
    }

    /// <summary>Checks the item's shape, then makes it safe in place (HTML sanitized, link schemes checked).</summary>
    public static void ThrowIfInvalid(string contentType, JsonObject content, ContentDefinitionSnapshot snapshot)
    {
        var errors = ContentItemValidator.Validate(contentType, content, snapshot);
        if (errors.Count == 0)
        {
            errors = ContentItemValidator.Clean(contentType, content, snapshot);
        }
        if (errors.Count > 0)
        {
            throw new ContentValidationException(errors);
        }
    }

    /// <summary>An item is published only if none of its type's parts objects (a title part needs a title: the part kinds
    /// say, ContentElementKind.PublishProblem). Recipes import what they carry, as Orchard does.</summary>
    public async Task RequirePublishableAsync(ContentItemRecord record, CancellationToken cancellationToken)
    {
        var type = await definitions.GetTypeAsync(record.ContentType, cancellationToken);
        var columns = new Embassy.Content.Elements.IndexColumns { DisplayText = record.DisplayText };
        var problems = (type?.Parts ?? []).Select(p => elements.Part(p.PartName)?.PublishProblem(columns) is { } problem ? $"{p.Name}.{problem}" : null)
            .OfType<string>().ToList();
        problems.AddRange(ContentItemValidator.PublishProblems(record.ContentType, ContentDefinitionStore.ParseObject(record.Data),
            await LoadDefinitionsAsync(cancellationToken)));
        if (problems.Count > 0)
        {
            throw new ContentValidationException(problems);
        }
    }
}
