using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Embassy.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Embassy.Media.Images;

/// <summary>A derivative on disk: where it is, its strong ETag and its type; small ones also in memory (<see cref="Bytes"/>).</summary>
public sealed record Derivative(string File, string ETag, string ContentType)
{
    public byte[]? Bytes { get; init; }

    /// <summary>The cache's entry that holds <see cref="Bytes"/>: says whether they are still held, and marks their use.</summary>
    internal DerivativeCache.Entry? Held { get; init; }
}

public enum DerivativeRefusal
{
    None,

    /// <summary>As many transforms are running as allowed and the wait ran out: 503 + Retry-After.</summary>
    Busy,
}

/// <summary>
/// Derivatives on disk, named by a hash of the source's SHA-256, the command and the encoder's version — so the same
/// request gives the same file and ETag on either server without copying anything. Bounded in size: the least
/// recently used are deleted past <see cref="ImageOptions.CacheMegabytes"/>. Concurrent requests for one derivative
/// make it once; transforms past <see cref="ImageOptions.MaxConcurrentTransforms"/> wait, then are refused.
/// </summary>
public sealed partial class DerivativeCache : IDisposable
{
    private readonly ImageOptions _options;
    private readonly ILogger<DerivativeCache> _logger;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _transforms;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<Derivative?>>> _making = new(StringComparer.Ordinal);
    private readonly object _evicting = new();
    private readonly Task _scan;
    private long _bytes;
    private long _memoryBytes;

    /// <summary>The largest derivative also kept in memory.</summary>
    private const int MaxMemoryBytes = 256 * 1024;

    public DerivativeCache(IOptions<ImageOptions> options, IOptions<EmbassyOptions> embassy, ILogger<DerivativeCache> logger, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(embassy);
        _options = options.Value;
        _logger = logger;
        _clock = clock;
        _transforms = new SemaphoreSlim(_options.MaxConcurrentTransforms, _options.MaxConcurrentTransforms);
        Directory = Path.GetFullPath(_options.CacheDirectory, Path.GetFullPath(embassy.Value.DataDirectory));
        System.IO.Directory.CreateDirectory(Directory);
        _scan = Task.Run(ScanExisting);
    }

    public string Directory { get; }

    /// <summary>Bytes the cache holds now.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>A derivative's name: SHA-256 of the source's SHA-256, the canonical command and the encoder's version.</summary>
    public static string KeyOf(string sourceSha256, ImageCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{sourceSha256}|{command.Key}|{ImageTransformer.EncoderVersion}")));
    }

    /// <summary>The ETag of the derivative named <paramref name="key"/> (known before it is made: a 304 needs no work).</summary>
    public static string ETagOf(string key) => $"\"{key[..32]}\"";

    /// <summary>Whether If-None-Match names the derivative's <paramref name="etag"/> (anywhere in a value) or is *: a 304.
    /// Read the same way by the endpoint and by <see cref="HeldResponses"/>, allocating nothing.</summary>
    public static bool NotModified(Microsoft.Extensions.Primitives.StringValues ifNoneMatch, string etag)
    {
        ArgumentNullException.ThrowIfNull(etag);
        for (var i = 0; i < ifNoneMatch.Count; i++)
        {
            var value = ifNoneMatch[i];
            if (value is not null && (value.Contains(etag, StringComparison.Ordinal) || value.AsSpan().Trim().SequenceEqual("*")))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The derivative named <paramref name="key"/> (<see cref="KeyOf"/>), made now if it is not on disk; null with
    /// <see cref="DerivativeRefusal.Busy"/> when too busy.</summary>
    /// <summary>Whether this derivative is made already (on disk or in memory): serving it makes nothing.</summary>
    public bool Has(string key) => _entries.ContainsKey(key);

    /// <summary>A derivative held in memory, if it is: named by the source's hash, so it is right whatever the source
    /// file's state on this server (a standby still fetching it, say).</summary>
    public Derivative? TryGetHeld(string key, ImageCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!_scan.IsCompletedSuccessfully || !_entries.TryGetValue(key, out var entry) || entry.Bytes is not { } bytes)
        {
            return null;
        }
        entry.LastUse = _clock.GetTimestamp();
        return new Derivative(FileOf(key, command), ETagOf(key), command.ContentType) { Bytes = bytes, Held = entry };
    }

    public async Task<(Derivative? Derivative, DerivativeRefusal Refusal)> GetAsync(string sourceFile, string key, ImageCommand command,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(command);
        await _scan.ConfigureAwait(false);
        var file = FileOf(key, command);
        var derivative = new Derivative(file, ETagOf(key), command.ContentType);
        if (_entries.TryGetValue(key, out var entry))
        {
            entry.LastUse = _clock.GetTimestamp();
            if (entry.Bytes is { } bytes)
            {
                return (derivative with { Bytes = bytes, Held = entry }, DerivativeRefusal.None); // no file opened: as fast as the server answers
            }
            if (File.Exists(file))
            {
                return (derivative, DerivativeRefusal.None);
            }
        }
        // One transform per derivative, however many ask for it at once: the others wait for its result and take no slot.
        var making = _making.GetOrAdd(key, _ => new Lazy<Task<Derivative?>>(() => MakeAdmittedAsync(sourceFile, command, key, derivative)));
        var made = await making.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        return made is null ? (null, DerivativeRefusal.Busy) : (made, DerivativeRefusal.None);
    }

    private async Task<Derivative?> MakeAdmittedAsync(string sourceFile, ImageCommand command, string key, Derivative derivative)
    {
        try
        {
            if (!await _transforms.WaitAsync(_options.QueueTimeout).ConfigureAwait(false))
            {
                return null;
            }
            try
            {
                return await Task.Run(() => Make(sourceFile, command, key, derivative)).ConfigureAwait(false);
            }
            finally
            {
                _transforms.Release();
            }
        }
        finally
        {
            _making.TryRemove(key, out _);
        }
    }

    private Derivative Make(string sourceFile, ImageCommand command, string key, Derivative derivative)
    {
        if (File.Exists(derivative.File))
        {
            Track(key, new FileInfo(derivative.File).Length, null);
            return derivative;
        }
        var bytes = ImageTransformer.Transform(sourceFile, command, _options.MaxPixels);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(derivative.File)!);
        // Written beside, then renamed: a reader never sees half a derivative.
        var temp = derivative.File + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, derivative.File, overwrite: true);
        return Track(key, bytes.Length, bytes) is { Bytes: { } held } entry ? derivative with { Bytes = held, Held = entry } : derivative with { Bytes = bytes };
    }

    private Entry? Track(string key, long size, byte[]? bytes)
    {
        // Small derivatives (thumbnails, cards) are also kept in memory, within MemoryCacheMegabytes.
        var keep = bytes is not null && bytes.Length <= MaxMemoryBytes
            && Interlocked.Add(ref _memoryBytes, bytes.Length) <= _options.MemoryCacheMegabytes * 1024L * 1024L;
        if (bytes is not null && bytes.Length <= MaxMemoryBytes && !keep)
        {
            Interlocked.Add(ref _memoryBytes, -bytes.Length);
        }
        var entry = new Entry(size, _clock.GetTimestamp()) { Bytes = keep ? bytes : null };
        if (!_entries.TryAdd(key, entry))
        {
            if (keep)
            {
                Interlocked.Add(ref _memoryBytes, -bytes!.Length);
            }
            return null;
        }
        if (Interlocked.Add(ref _bytes, size) > _options.CacheMegabytes * 1024L * 1024L)
        {
            Evict();
        }
        return entry;
    }

    /// <summary>Deletes the least recently used derivatives until the cache is at 90% of its size.</summary>
    private void Evict()
    {
        lock (_evicting)
        {
            var limit = _options.CacheMegabytes * 1024L * 1024L;
            if (Bytes <= limit)
            {
                return;
            }
            var target = limit * 9 / 10;
            var removed = 0;
            foreach (var (key, entry) in _entries.ToArray().OrderBy(e => e.Value.LastUse))
            {
                if (Bytes <= target)
                {
                    break;
                }
                if (!_entries.TryRemove(key, out _))
                {
                    continue;
                }
                entry.Evicted = true;
                if (entry.Bytes is { } held)
                {
                    entry.Bytes = null; // whoever still refers to the entry (HeldResponses) no longer keeps the bytes alive
                    Interlocked.Add(ref _memoryBytes, -held.Length);
                }
                foreach (var file in System.IO.Directory.EnumerateFiles(Path.Combine(Directory, key[..2]), key + ".*"))
                {
                    TryDelete(file);
                }
                Interlocked.Add(ref _bytes, -entry.Size);
                removed++;
            }
            LogEvicted(_logger, removed, Bytes / 1048576.0);
        }
    }

    private void ScanExisting()
    {
        try
        {
            foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*", SearchOption.AllDirectories))
            {
                var name = Path.GetFileName(file);
                if (name.EndsWith(".tmp", StringComparison.Ordinal))
                {
                    TryDelete(file); // a transform that did not finish (the server stopped)
                    continue;
                }
                var info = new FileInfo(file);
                var key = Path.GetFileNameWithoutExtension(name);
                // Older first: the last write stands for the last use (access times are often not kept).
                if (_entries.TryAdd(key, new Entry(info.Length, _clock.GetTimestamp() - (long)((DateTime.UtcNow - info.LastWriteTimeUtc).TotalSeconds * _clock.TimestampFrequency))))
                {
                    Interlocked.Add(ref _bytes, info.Length);
                }
            }
            if (Bytes > _options.CacheMegabytes * 1024L * 1024L)
            {
                Evict();
            }
        }
        catch (IOException ex)
        {
            LogScanFailed(_logger, ex, Directory);
        }
    }

    private string FileOf(string key, ImageCommand command) => Path.Combine(Directory, key[..2], key + command.Extension);

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (IOException)
        {
            // Gone already, or in use on a platform that cannot delete open files: the next eviction tries again.
        }
    }

    public void Dispose() => _transforms.Dispose();

    internal sealed class Entry(long size, long lastUse)
    {
        private volatile bool _evicted;
        private volatile byte[]? _bytes;

        public long Size { get; } = size;

        public long LastUse { get; set; } = lastUse;

        public byte[]? Bytes { get => _bytes; set => _bytes = value; }

        /// <summary>Deleted from the cache: whoever still refers to its bytes must not serve them on the cache's behalf.</summary>
        public bool Evicted { get => _evicted; set => _evicted = value; }
    }

    [LoggerMessage(EventId = 330, Level = LogLevel.Information, Message = "Image cache: {Removed} least recently used derivatives deleted, {Megabytes:0.0} MB kept")]
    private static partial void LogEvicted(ILogger logger, int removed, double megabytes);

    [LoggerMessage(EventId = 331, Level = LogLevel.Warning, Message = "Image cache: could not read {Directory}")]
    private static partial void LogScanFailed(ILogger logger, Exception exception, string directory);
}
