using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Embassy.MobileApi.Contract;

// The /api/v1 responses, one type each: ResponseContract serializes them (source-generated, ApiJsonContext) and makes
// their OpenAPI schemas from the same metadata, and the tests check every response against those schemas. A field
// added to one of these records is in the JSON, the document and the contract check at once. Items (their fields come
// from the content definitions) are described by ItemSchemas and written by ItemJson.

[Description("A page of a sync.")]
public sealed record SyncPage(
    [property: Description("`initial`: pages of every item; `delta`: what changed since the token."), ApiEnum("initial", "delta")] string Mode,
    [property: ApiItems("ListItemOfAnyType")] ItemsWriter Items,
    IReadOnlyList<Tombstone> Deleted,
    [property: Description("Initial sync: send back as `cursor` for the next page; null on the last page.")] string? Next,
    [property: Description("The token of the next delta: on the last page of an initial sync, and on every delta page.")] string? Token,
    [property: Description("Delta: more changes wait; call again with the new token.")] bool HasMore);

[Description("An item that left the app's view: unpublished or deleted.")]
public sealed record Tombstone(string Id, string Type, string? Culture);

[Description("A page of {displayName} items.")]
public sealed record ListPage(
    string Type,
    [property: Description("The culture served.")] string Culture,
    [property: Description("The order of the list.")] string Order,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description(
        "Only in answers to a preview token: covered items come as their latest versions (drafts included), and drafts never " +
        "published are merged in where the order puts them (newest-first lists: at the top of the first page). Paging follows " +
        "the published list, so such a page may hold more items than `limit`.")] bool? Preview,
    [property: ApiItems("{type}ListItem")] ItemsWriter Items,
    [property: Description("Send back as `cursor` for the next page; null on the last page.")] string? Next);

[Description("A page of search results, best first.")]
public sealed record SearchPage(
    string Q,
    [property: Description("The culture served.")] string Culture,
    [property: Description("How many items match in all.")] int Total,
    IReadOnlyList<SearchHit> Items,
    [property: Description("Send back as `cursor` (with the same q, culture and types) for the next page; null on the last.")] string? Next);

[Description("An item found.")]
public sealed record SearchHit(
    string Id,
    string Type,
    string? Culture,
    string Title,
    [property: Description("Plain text from the item around the first word found (… where it is cut).")] string Snippet,
    [property: Description("The words found in `snippet`: where each starts (in UTF-16 code units, as JavaScript, Kotlin and Swift's " +
        "NSString count) and how long it is.")] IReadOnlyList<Highlight> Highlights,
    [property: Description("How well it matches (higher first; comparable within one search only).")] double Score);

[Description("A word found.")]
public sealed record Highlight([property: Range(0, int.MaxValue)] int Start, [property: Range(1, int.MaxValue)] int Length);

[Description("The content types.")]
public sealed record TypesDocument(IReadOnlyList<ContentTypeInfo> Types);

[ApiSchema("TypeInfo"), Description("A content type.")]
public sealed record ContentTypeInfo(
    string Name,
    string DisplayName,
    string? Description,
    bool Listable,
    [property: ApiEnum("published", "start", "order")] string Order,
    [property: Description("Its lists take `upcoming` / `active`.")] bool HasEnd,
    IReadOnlyList<ContentFieldInfo> Fields);

[ApiSchema("FieldInfo"), Description("A field of a content type's items.")]
public sealed record ContentFieldInfo(
    [property: Description("Its key in the item's `fields`.")] string Key,
    [property: Description("What the app receives for it (the kinds are listed in the document).")] string Kind,
    string DisplayName,
    string? Description,
    IReadOnlyList<FieldOption>? Options);

[Description("A value a text field may take.")]
public sealed record FieldOption(string? Value, string? Name);

[Description("The cultures served.")]
public sealed record CulturesDocument(
    [property: Description("The default culture.")] string Default,
    IReadOnlyList<CultureEntry> Cultures);

[ApiSchema("CultureInfo"), Description("A culture and its fallback chain.")]
public sealed record CultureEntry(string Code, IReadOnlyList<string> Fallback);

/// <summary>The body of every error (RFC 9457). ASP.NET Core's problem-details writer writes it (and the host's
/// <c>JsonProblemWriter</c> for clients that accept no JSON); this record is its schema, checked on every problem
/// the tests see.</summary>
[ApiSchema("Problem"), Description("An error (RFC 9457 problem details).")]
public sealed record Problem(
    [property: Description("The kind of error: one title per status.")] string Title,
    [property: ApiFormat("int32")] int Status,
    [property: Description("The request's trace id, for the server's log.")] string TraceId)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description("A URI naming the kind of error.")]
    public string? Type { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description("What exactly went wrong.")]
    public string? Detail { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Instance { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description("400 only: each invalid parameter and what is wrong with it.")]
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }
}
