namespace Embassy.MobileApi.Endpoints;

// The shapes of the API's responses, for the OpenAPI document. Responses are built as JSON directly
// (see ItemJson); ApiDocumentTests check that real responses use no property these do not declare.

/// <summary>A published content item. <c>fields</c> holds the type's fields by key (see /api/v1/types).</summary>
public sealed record ItemDocument(string Id, string VersionId, string Type, string? Culture, string? LocalizationSet, string Title,
    string? Alias, string? Path, DateTime? PublishedUtc, DateTime ModifiedUtc, Dictionary<string, object?> Fields,
    Dictionary<string, string>? Translations);

public sealed record ContentListDocument(string Type, string Culture, string Order, IReadOnlyList<ItemDocument> Items, string? Next);

/// <summary>An item that left the app's view: unpublished or deleted.</summary>
public sealed record TombstoneDocument(string Id, string Type, string? Culture);

/// <summary>mode "initial": pages of every item (follow <c>next</c>), the last page carries <c>token</c>.
/// mode "delta": what changed since the token; call again with the new token while <c>hasMore</c>.</summary>
public sealed record SyncDocument(string Mode, IReadOnlyList<ItemDocument> Items, IReadOnlyList<TombstoneDocument> Deleted, string? Next,
    string? Token, bool HasMore);

public sealed record FieldOptionDocument(string? Value, string? Name);

public sealed record FieldDocument(string Key, string Kind, string DisplayName, string? Description, IReadOnlyList<FieldOptionDocument>? Options);

public sealed record TypeDocument(string Name, string DisplayName, string? Description, bool Listable, string Order, bool HasEnd,
    IReadOnlyList<FieldDocument> Fields);

public sealed record TypesDocument(IReadOnlyList<TypeDocument> Types);

public sealed record CultureDocument(string Code, IReadOnlyList<string> Fallback);

public sealed record CulturesDocument(string Default, IReadOnlyList<CultureDocument> Cultures);
