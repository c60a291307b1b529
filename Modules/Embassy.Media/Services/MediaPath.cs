namespace Embassy.Media.Services;

/// <summary>Media paths: forward slashes, no empty, '.' or '..' segments, no control characters, at most 512 characters.</summary>
public static class MediaPath
{
    /// <summary>Where /media serves a stored path, each segment escaped (relative to the server).</summary>
    public static string Url(string normalizedPath)
    {
        ArgumentNullException.ThrowIfNull(normalizedPath);
        return "/media/" + string.Join('/', normalizedPath.Split('/').Select(Uri.EscapeDataString));
    }

    private static readonly char[] Forbidden = ['\\', ':', '*', '?', '"', '<', '>', '|'];

    /// <summary>Where the video module keeps packaged videos (HLS, posters): not uploaded to, not listed in the library.</summary>
    public const string PackagedVideoFolder = "_video/";

    /// <summary>The normalized path, or null with the reason in <paramref name="error"/>.</summary>
    /// <summary>Where a normalized media path lives under the media directory.</summary>
    public static string FullPath(string mediaRoot, string normalizedPath) =>
        Path.Combine(mediaRoot, normalizedPath.Replace('/', Path.DirectorySeparatorChar));

    public static string? Normalize(string? path, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(path))
        {
            error = "the path is empty";
            return null;
        }
        var segments = path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        foreach (var segment in segments)
        {
            if (segment is "." or ".." || segment.Trim() != segment || segment.EndsWith('.'))
            {
                error = $"'{path}' has a '{segment}' segment; paths may not climb or end segments with dots or spaces";
                return null;
            }
            if (segment.Any(c => char.IsControl(c) || Forbidden.Contains(c)))
            {
                error = $"'{path}' contains a character that is not allowed in a media path";
                return null;
            }
            if (segment.StartsWith('.'))
            {
                error = $"'{path}' names a hidden file or folder";
                return null;
            }
        }
        var normalized = string.Join('/', segments);
        if (normalized.Length > 512)
        {
            error = "the path is longer than 512 characters";
            return null;
        }
        return normalized;
    }
}
