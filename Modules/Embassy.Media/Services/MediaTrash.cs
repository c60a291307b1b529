using System.Text.Json;
using System.Text.RegularExpressions;
using Embassy.Core;
using Embassy.Media.Data;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Embassy.Media.Services;

/// <summary>A deleted media file waiting in the trash: where it was, what it was, who deleted it and when.</summary>
public sealed record TrashedMedia(string Id, string Path, string ContentType, long Size, string Sha256, DateTime DeletedUtc, string? DeletedBy)
{
    public DateTime ExpiresUtc { get; init; }
}

/// <summary>
/// Deleted media files, kept for <see cref="MediaOptions.TrashDays"/> so that a deletion by mistake can be undone from
/// the media library. The trash is the master's own folder (DataDirectory/media-trash, one folder per deletion with the
/// file and a description): the index row is gone at once, so the API, the standby and every list forget the file as
/// before; only a restore brings it back, through the same intake as an upload. Expired entries are removed when the
/// trash is next listed or written to. A promoted standby starts with an empty trash.
/// </summary>
public sealed partial class MediaTrash(IOptions<EmbassyOptions> embassy, IOptions<MediaOptions> options, TimeProvider clock, ILogger<MediaTrash> logger)
{
    private const string Description = "deleted.json";

    public string Root => Path.Combine(embassy.Value.DataDirectory, "media-trash");

    public bool Enabled => options.Value.TrashDays > 0;

    /// <summary>Moves a deleted file into the trash (or deletes it when the trash is off or cannot take it).</summary>
    public void Keep(string fullPath, MediaFileRecord record, string? deletedBy)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!File.Exists(fullPath))
        {
            return;
        }
        if (Enabled)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var id = $"{now:yyyyMMddHHmmss}-{Guid.NewGuid():N}";
            var folder = Path.Combine(Root, id);
            try
            {
                Directory.CreateDirectory(folder);
                File.Move(fullPath, Path.Combine(folder, "file"));
                File.WriteAllText(Path.Combine(folder, Description), JsonSerializer.Serialize(
                    new TrashedMedia(id, record.Path, record.ContentType, record.Size, record.Sha256, now, deletedBy)));
                Purge();
                return;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogTrashFailed(logger, ex, record.Path);
                TryDeleteFolder(folder);
            }
        }
        File.Delete(fullPath);
    }

    /// <summary>What the trash holds, newest first (expired entries are removed first).</summary>
    public IReadOnlyList<TrashedMedia> List()
    {
        Purge();
        return Entries().OrderByDescending(e => e.DeletedUtc).ToList();
    }

    /// <summary>One entry by its id; null for an unknown or malformed id (never a path outside the trash).</summary>
    public TrashedMedia? Find(string? id) =>
        id is not null && IdPattern().IsMatch(id) ? Read(Path.Combine(Root, id)) : null;

    public Stream Open(TrashedMedia entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new FileStream(Path.Combine(Root, entry.Id, "file"), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
    }

    public void Remove(TrashedMedia entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        TryDeleteFolder(Path.Combine(Root, entry.Id));
    }

    private IEnumerable<TrashedMedia> Entries()
    {
        if (!Directory.Exists(Root))
        {
            yield break;
        }
        foreach (var folder in Directory.EnumerateDirectories(Root))
        {
            if (IdPattern().IsMatch(Path.GetFileName(folder)) && Read(folder) is { } entry)
            {
                yield return entry;
            }
        }
    }

    private TrashedMedia? Read(string folder)
    {
        try
        {
            var entry = JsonSerializer.Deserialize<TrashedMedia>(File.ReadAllText(Path.Combine(folder, Description)));
            return entry is null || entry.Id != Path.GetFileName(folder) || !File.Exists(Path.Combine(folder, "file"))
                ? null
                : entry with { ExpiresUtc = entry.DeletedUtc.AddDays(options.Value.TrashDays) };
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private void Purge()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var entry in Entries().Where(e => e.ExpiresUtc <= now).ToList())
        {
            TryDeleteFolder(Path.Combine(Root, entry.Id));
        }
    }

    private void TryDeleteFolder(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogTrashFailed(logger, ex, folder);
        }
    }

    [GeneratedRegex("^[0-9]{14}-[0-9a-f]{32}$")]
    private static partial Regex IdPattern();

    [LoggerMessage(Level = LogLevel.Warning, Message = "The media trash could not keep or remove {What}; the file was deleted instead (or is left for the next purge).")]
    private static partial void LogTrashFailed(ILogger logger, Exception exception, string what);
}
