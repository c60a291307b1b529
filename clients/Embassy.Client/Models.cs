using System.Text.Json;

namespace Embassy.Client;

/// <summary>A published content item as the API sends it; <see cref="Fields"/> holds the type's fields by key.</summary>
public sealed record Item(string Id, string? VersionId, string Type, string? Culture, string? LocalizationSet, string? Title, string? Alias,
    string? Path, DateTime? PublishedUtc, DateTime? ModifiedUtc, Dictionary<string, JsonElement>? Fields, Dictionary<string, string>? Translations);

/// <summary>A page of a list; pass <see cref="Next"/> to get the following page.</summary>
public sealed record ItemPage(string Type, string Culture, string Order, IReadOnlyList<Item> Items, string? Next);

/// <summary>An item that left the app's view (unpublished or deleted): remove it from the offline cache.</summary>
public sealed record Tombstone(string Id, string Type, string? Culture);

/// <summary>A page of a sync.</summary>
public sealed record SyncPage(string Mode, IReadOnlyList<Item> Items, IReadOnlyList<Tombstone> Deleted, string? Next, string? Token, bool HasMore);

/// <summary>A video: stream it progressively (<see cref="StreamUrl"/>) or by HLS (<see cref="HlsUrl"/>).</summary>
public sealed record Video(string Id, string Path, string StreamUrl, string? HlsUrl, string? PosterUrl, double? DurationSeconds, int? Width,
    int? Height, long SizeBytes, string Sha256, string Status, double Progress);

/// <summary>A content type and the fields of its items.</summary>
public sealed record ContentType(string Name, string DisplayName, string? Description, bool Listable, string Order, bool HasEnd, IReadOnlyList<ContentField> Fields);

/// <summary>One field of a content type; a text field with predefined values lists them in <see cref="Options"/>.</summary>
public sealed record ContentField(string Key, string Kind, string DisplayName, string? Description, IReadOnlyList<FieldOption>? Options);

/// <summary>A value a text field may take, and its display name.</summary>
public sealed record FieldOption(string? Value, string? Name);

internal sealed record TypesResponse(IReadOnlyList<ContentType> Types);

/// <summary>Where the app keeps its sync token between runs.</summary>
public interface ISyncTokenStore
{
    /// <summary>The token of the last completed sync, or null before the first.</summary>
    string? Load();

    /// <summary>Keeps the token.</summary>
    void Save(string? token);
}

/// <summary>A sync token kept in memory.</summary>
public sealed class InMemorySyncTokenStore : ISyncTokenStore
{
    private string? _token;

    /// <inheritdoc />
    public string? Load() => Volatile.Read(ref _token);

    /// <inheritdoc />
    public void Save(string? token) => Volatile.Write(ref _token, token);
}
