using System.ComponentModel.DataAnnotations;

namespace Embassy.Video;

public sealed class VideoOptions
{
    public const string Section = "Embassy:Video";

    [Required]
    public string FfmpegPath { get; set; } = "ffmpeg";

    [Required]
    public string FfprobePath { get; set; } = "ffprobe";

    /// <summary>A packaging job running longer than this is killed and recorded as failed.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "12:00:00")]
    public TimeSpan JobTimeout { get; set; } = TimeSpan.FromMinutes(30);

    [Range(1, 60)]
    public int SegmentSeconds { get; set; } = 4;

    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Folder of the media store that holds HLS packages and posters: {OutputFolder}/{video path}/index.m3u8.</summary>
    public const string OutputFolder = "_video";

    public static string HlsPath(string videoPath) => $"{OutputFolder}/{videoPath}/index.m3u8";

    public static string PosterPath(string videoPath) => $"{OutputFolder}/{videoPath}/poster.jpg";
}
