using System.Security.Cryptography;
using Embassy.Core;
using Embassy.Media.Data;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Embassy.Media.Services;

/// <summary>A file written to the staging folder, hashed while written; not yet visible anywhere.</summary>
public sealed record StagedFile(string TempPath, long Size, string Sha256)
{
    /// <summary>An image's size as read when it was checked (<see cref="MediaIntake"/>); null for other files.</summary>
    public Images.ImageFacts? Image { get; init; }
}

/// <summary>
/// Media files on disk and their index. Writes go to a staging file first (hashed on the way), and
/// are moved into the media folder only when complete, so a reader never sees half a file.
/// </summary>
public sealed class MediaStore(EmbassyDbContext db, IOptions<EmbassyOptions> options, TimeProvider clock)
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public string MediaRoot => options.Value.MediaDirectory;

    public string FullPath(string normalizedPath) => MediaPath.FullPath(MediaRoot, normalizedPath);

    public Task<MediaFileRecord?> FindAsync(string normalizedPath, CancellationToken cancellationToken) =>
        db.Set<MediaFileRecord>().AsNoTracking().FirstOrDefaultAsync(m => m.Path == normalizedPath, cancellationToken);

    /// <summary>The indexed files under <paramref name="folder"/> (every file when null or empty), by path;
    /// packaged video outputs only when <paramref name="includePackaged"/>.</summary>
    public IQueryable<MediaFileRecord> Listing(string? folder, bool includePackaged)
    {
        var files = db.Set<MediaFileRecord>().AsNoTracking();
        if (!includePackaged)
        {
            files = files.Where(m => !m.Path.StartsWith(MediaPath.PackagedVideoFolder));
        }
        if (!string.IsNullOrEmpty(folder))
        {
            var prefix = folder.Trim('/') + "/";
            files = files.Where(m => m.Path.StartsWith(prefix));
        }
        return files.OrderBy(m => m.Path);
    }

    /// <summary>Copies <paramref name="source"/> into a staging file, hashing it; at most <paramref name="maxBytes"/>.</summary>
    public async Task<StagedFile> StageAsync(Stream source, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        Directory.CreateDirectory(options.Value.StagingDirectory);
        var tempPath = Path.Combine(options.Value.StagingDirectory, $"{Guid.NewGuid():N}.part");
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size = 0;
            await using (var target = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    size += read;
                    if (size > maxBytes)
                    {
                        throw new MediaTooLargeException(maxBytes);
                    }
                    hash.AppendData(buffer, 0, read);
                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
                await target.FlushAsync(cancellationToken);
            }
            return new StagedFile(tempPath, size, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        catch
        {
            File.Delete(tempPath);
            throw;
        }
    }

    /// <summary>Adds or updates the index row in the current unit of work (the caller's transaction decides).</summary>
    public async Task<MediaFileRecord> IndexAsync(string normalizedPath, StagedFile staged, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staged);
        var now = clock.GetUtcNow().UtcDateTime;
        var record = await db.Set<MediaFileRecord>().FirstOrDefaultAsync(m => m.Path == normalizedPath, cancellationToken);
        if (record is null)
        {
            record = new MediaFileRecord { Path = normalizedPath, CreatedUtc = now };
            db.Add(record);
        }
        record.Size = staged.Size;
        record.Sha256 = staged.Sha256;
        record.ContentType = ContentTypeOf(normalizedPath);
        record.ModifiedUtc = now;
        record.Width = staged.Image?.Width;
        record.Height = staged.Image?.Height;
        await db.SaveChangesAsync(cancellationToken);
        return record;
    }

    /// <summary>Moves a staged file into place (an atomic rename on the same file system).</summary>
    /// <summary>Forgets the index entries under a folder (their files are the caller's to remove), in the caller's transaction.</summary>
    public Task<int> ForgetFolderAsync(string normalizedFolder, CancellationToken cancellationToken)
    {
        var prefix = normalizedFolder.TrimEnd('/') + "/";
        return db.Set<MediaFileRecord>().Where(m => m.Path.StartsWith(prefix)).ExecuteDeleteAsync(cancellationToken);
    }

    public void Place(StagedFile staged, string normalizedPath)
    {
        ArgumentNullException.ThrowIfNull(staged);
        var target = FullPath(normalizedPath);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Move(staged.TempPath, target, overwrite: true);
    }

    public static void Discard(StagedFile staged)
    {
        ArgumentNullException.ThrowIfNull(staged);
        File.Delete(staged.TempPath);
    }

    public static string ContentTypeOf(string path) =>
        ContentTypes.TryGetContentType(path, out var type) ? type : "application/octet-stream";
}

public sealed class MediaTooLargeException(long maxBytes) : Exception($"the file is larger than the {maxBytes / 1048576.0:0.#} MB limit")
{
    public long MaxBytes { get; } = maxBytes;

    public MediaTooLargeException() : this(0) { }

    public MediaTooLargeException(string message) : this(0) => _ = message;

    public MediaTooLargeException(string message, Exception innerException) : this(0) => _ = (message, innerException);
}
