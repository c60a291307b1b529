using System.Text.Json.Nodes;

namespace Embassy.Content.Models;

/// <summary>One version of a content item, as Orchard shapes it: metadata plus parts.</summary>
public sealed class ContentItem
{
    /// <summary>Properties that are metadata, not parts (case-sensitive, as in Orchard).</summary>
    public static readonly IReadOnlySet<string> WellKnownProperties = new HashSet<string>(StringComparer.Ordinal)
    {
        "ContentItemId", "ContentItemVersionId", "ContentType", "DisplayText", "Latest", "Published",
        "ModifiedUtc", "PublishedUtc", "CreatedUtc", "Owner", "Author", "Id",
    };

    private static readonly HashSet<string> WellKnownIgnoringCase = new(WellKnownProperties, StringComparer.OrdinalIgnoreCase);

    public required string ContentItemId { get; init; }
    public required string ContentItemVersionId { get; init; }
    public required string ContentType { get; init; }
    public string DisplayText { get; init; } = "";
    public bool Latest { get; init; }
    public bool Published { get; init; }
    public DateTime CreatedUtc { get; init; }
    public DateTime ModifiedUtc { get; init; }
    public DateTime? PublishedUtc { get; init; }
    public string? Owner { get; init; }
    public string? Author { get; init; }
    public string? Culture { get; init; }
    public string? LocalizationSet { get; init; }
    public string? Alias { get; init; }
    public string? Path { get; init; }
    public DateTime? StartUtc { get; init; }
    public DateTime? EndUtc { get; init; }
    public double? SortOrder { get; init; }

    /// <summary>Changes with every save of the item (a new version, or a draft saved again): an edit form sends back the
    /// revision it started from, and a save over a newer one is refused (ContentConflictException).</summary>
    public string Revision => $"{ContentItemVersionId}-{ModifiedUtc.Ticks}";

    private JsonObject? _content;

    /// <summary>Parts and other properties as stored: JSON text, read without building a tree (the API writes from it).</summary>
    public required string ContentJson { get; init; }

    /// <summary>Parts and other properties, parsed on first use.</summary>
    public JsonObject Content => _content ??= JsonNode.Parse(ContentJson) as JsonObject ?? [];

    /// <summary>The item in Orchard's JSON shape (what Orchard's /api/content/{id} returns).</summary>
    public JsonObject ToOrchardJson()
    {
        var json = new JsonObject
        {
            ["ContentItemId"] = ContentItemId,
            ["ContentItemVersionId"] = ContentItemVersionId,
            ["ContentType"] = ContentType,
            ["DisplayText"] = DisplayText,
            ["Latest"] = Latest,
            ["Published"] = Published,
            ["ModifiedUtc"] = ModifiedUtc,
            ["PublishedUtc"] = PublishedUtc,
            ["CreatedUtc"] = CreatedUtc,
            ["Owner"] = Owner,
            ["Author"] = Author,
        };
        foreach (var (key, value) in Content)
        {
            // A stored key that differs from a metadata property only by case (Orchard's blog recipe has
            // "Displaytext") stays in storage but is not served: case-insensitive JSON readers, such as
            // System.Text.Json's web defaults in a .NET app, reject the duplicate.
            if (!json.ContainsKey(key) && !WellKnownIgnoringCase.Contains(key))
            {
                json[key] = value?.DeepClone();
            }
        }
        return json;
    }
}

public sealed record ContentVersionSummary(
    string ContentItemVersionId, bool Latest, bool Published, DateTime CreatedUtc, DateTime ModifiedUtc,
    DateTime? PublishedUtc, string? Author, string DisplayText);
