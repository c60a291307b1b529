using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Embassy.Content.Services;
using Embassy.MobileApi.Json;
using Microsoft.Extensions.Options;

namespace Embassy.MobileApi.Caching;

/// <summary>
/// The JSON of published item versions as lists write them. A list page made without the response cache (after
/// every publish, every list is made again) then reads only its index and copies bytes already written.
/// A published version's columns never change while its publication date stays the same (ContentManager never
/// edits content that may have been served in place), so the schema version, the version id, the publication
/// date and the field selection name the bytes. Bounded by count: when full, it starts again empty.
/// </summary>
public sealed class ItemFragmentCache(IOptions<MobileApiOptions> options)
{
    private readonly record struct Key(string VersionId, long PublishedTicks, string Fields);

    private readonly ConcurrentDictionary<Key, byte[]> _fragments = new();
    private readonly int _capacity = options.Value.ItemCacheSize;
    private long _schemaVersion = -1;
    private int _count;

    /// <summary>False when MobileApi:ItemCacheSize is 0: lists then read whole items in one query.</summary>
    public bool Enabled => _capacity > 0;

    public bool TryGet(ApiSchema schema, ListedVersion version, string fields, [NotNullWhen(true)] out byte[]? json)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(version);
        json = null;
        return _capacity > 0 && Volatile.Read(ref _schemaVersion) == schema.DefinitionsVersion
            && _fragments.TryGetValue(KeyOf(version, fields), out json);
    }

    public void Add(ApiSchema schema, ListedVersion version, string fields, byte[] json)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(version);
        if (_capacity == 0)
        {
            return;
        }
        var current = Volatile.Read(ref _schemaVersion);
        if (schema.DefinitionsVersion < current)
        {
            return; // written for a schema already replaced
        }
        if (schema.DefinitionsVersion > current || Volatile.Read(ref _count) >= _capacity)
        {
            lock (_fragments)
            {
                if (schema.DefinitionsVersion > _schemaVersion || _count >= _capacity)
                {
                    _fragments.Clear();
                    _count = 0;
                    Volatile.Write(ref _schemaVersion, Math.Max(_schemaVersion, schema.DefinitionsVersion));
                }
            }
        }
        if (_fragments.TryAdd(KeyOf(version, fields), json))
        {
            Interlocked.Increment(ref _count);
        }
    }

    private static Key KeyOf(ListedVersion version, string fields) =>
        new(version.ContentItemVersionId, version.PublishedUtc?.Ticks ?? 0, fields);
}
