using Embassy.Media.Data;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Embassy.Media.Services;

/// <summary>Why a file was not taken in: the HTTP status an upload answers, a title, and what to do about it.</summary>
public sealed record MediaRefusal(int Status, string Title, string Detail, string Field = "path");

/// <summary>
/// The one way a file enters the media store, for uploads and recipes alike: the path is normalized and may not be
/// in a reserved folder, the extension must be allowed, the size within its limit, the content's signature must match
/// the extension; then the file is indexed and the stored-file handlers (video packaging) are told, in the caller's
/// transaction. The caller moves the staged file into place once that transaction has committed.
/// </summary>
public sealed class MediaIntake(MediaStore store, IOptions<MediaOptions> options, IOptions<Images.ImageOptions> images,
    IEnumerable<IMediaStoredHandler> handlers, Embassy.Core.IMediaVersion version)
{
    /// <summary>The normalized target path, or why it cannot be used.</summary>
    public (string? Path, MediaRefusal? Refusal) CheckPath(string? path)
    {
        var normalized = MediaPath.Normalize(path, out var pathError);
        if (normalized is null)
        {
            return (null, new(StatusCodes.Status400BadRequest, "Bad media path", pathError!));
        }
        if (normalized.StartsWith(MediaPath.PackagedVideoFolder, StringComparison.Ordinal))
        {
            return (null, new(StatusCodes.Status400BadRequest, "Reserved folder", $"'{MediaPath.PackagedVideoFolder}' is reserved for packaged videos."));
        }
        var extension = Extension(normalized);
        if (!options.Value.AllowedExtensions.Contains(extension, StringComparer.OrdinalIgnoreCase))
        {
            return (null, new(StatusCodes.Status415UnsupportedMediaType, "File type not allowed",
                $"'{extension}' files are not accepted; allowed: {string.Join(' ', options.Value.AllowedExtensions)}."));
        }
        return (normalized, null);
    }

    public long MaxBytesFor(string normalizedPath) => options.Value.MaxBytesFor(Extension(normalizedPath));

    public MediaRefusal TooLarge(string normalizedPath) => new(StatusCodes.Status413PayloadTooLarge, "File too large",
        $"Files of this type may be at most {MaxBytesFor(normalizedPath) / 1048576.0:0.#} MB (Embassy:Media limits).");

    /// <summary>Stages <paramref name="source"/> and checks its content; the staged file is discarded when refused.</summary>
    public async Task<(StagedFile? Staged, MediaRefusal? Refusal)> StageAsync(string normalizedPath, Stream source, CancellationToken cancellationToken)
    {
        StagedFile staged;
        try
        {
            staged = await store.StageAsync(source, MaxBytesFor(normalizedPath), cancellationToken);
        }
        catch (MediaTooLargeException)
        {
            return (null, TooLarge(normalizedPath));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(normalizedPath));
        }
        Images.ImageFacts? facts = null;
        var refusal = staged.Size == 0
            ? new MediaRefusal(StatusCodes.Status400BadRequest, "Empty file", "the file is empty.", "body")
            : !await SignatureMatchesAsync(staged, Extension(normalizedPath), cancellationToken)
                ? new MediaRefusal(StatusCodes.Status415UnsupportedMediaType, "Content does not match the extension",
                    $"The file's content is not that of a '{Extension(normalizedPath)}' file.")
                : null;
        if (refusal is null && !images.Value.KeepMetadata)
        {
            staged = await StripMetadataAsync(staged, Extension(normalizedPath), cancellationToken);
        }
        refusal ??= CheckImage(staged, Extension(normalizedPath), out facts);
        if (refusal is not null)
        {
            MediaStore.Discard(staged);
            return (null, refusal);
        }
        return (staged with { Image = facts }, null);
    }

    /// <summary>Indexes a staged file and tells the handlers, in the caller's transaction.</summary>
    public async Task<MediaFileRecord> IndexAsync(string normalizedPath, StagedFile staged, CancellationToken cancellationToken)
    {
        var record = await store.IndexAsync(normalizedPath, staged, cancellationToken);
        await version.BumpAsync(cancellationToken); // every server's media caches read the row again (MediaWatch)
        foreach (var handler in handlers)
        {
            await handler.StoredAsync(record, cancellationToken);
        }
        return record;
    }

    /// <summary>
    /// An image the server will resize must be readable whole (not truncated or corrupt) and within the pixel limit
    /// (a decompression bomb is a small file of enormous dimensions): checked from its header, then decoded at 1/8.
    /// </summary>
    private MediaRefusal? CheckImage(StagedFile staged, string extension, out Images.ImageFacts? facts)
    {
        facts = null;
        if (!Images.ImageCommand.Transformable.Contains(extension))
        {
            return null;
        }
        try
        {
            facts = Images.ImageTransformer.Inspect(staged.TempPath, images.Value.MaxPixels);
            return null;
        }
        catch (Images.ImageRefusedException ex)
        {
            return new MediaRefusal(ex.Status, ex.Status == StatusCodes.Status413PayloadTooLarge ? "Image too large" : "Unreadable image", ex.Message, "body");
        }
    }

    private static string Extension(string path) => Path.GetExtension(path).ToLowerInvariant();

    /// <summary>
    /// A picture's metadata (GPS position, camera, XMP, comments) taken out before it is stored, so an embassy's photo
    /// never publishes where it was taken (ImageMetadata; Embassy:Media:Images:KeepMetadata keeps originals as uploaded).
    /// The staged file is replaced whole, with its new size and hash, or left as it is.
    /// </summary>
    private static async Task<StagedFile> StripMetadataAsync(StagedFile staged, string extension, CancellationToken cancellationToken)
    {
        if (!Images.ImageCommand.Transformable.Contains(extension) || staged.Size > 512L * 1024 * 1024)
        {
            return staged;
        }
        var bytes = await File.ReadAllBytesAsync(staged.TempPath, cancellationToken);
        if (Images.ImageMetadata.Strip(bytes, extension) is not { } stripped)
        {
            return staged;
        }
        var cleanPath = staged.TempPath + ".clean";
        await File.WriteAllBytesAsync(cleanPath, stripped, cancellationToken);
        File.Move(cleanPath, staged.TempPath, overwrite: true);
        return staged with { Size = stripped.Length, Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stripped)) };
    }

    private static async Task<bool> SignatureMatchesAsync(StagedFile staged, string extension, CancellationToken cancellationToken)
    {
        var header = new byte[FileSignatures.HeaderLength];
        await using var file = File.OpenRead(staged.TempPath);
        var read = await file.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken);
        return FileSignatures.Matches(extension, header.AsSpan(0, read));
    }
}
