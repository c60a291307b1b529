using Embassy.Core;
using Microsoft.EntityFrameworkCore;

namespace Embassy.Video.Data;

public enum VideoStatus
{
    Pending,
    Processing,
    Ready,
    Failed,
}

/// <summary>A video file's processing job and what it learned of the video.</summary>
public sealed class VideoRecord
{
    public string Path { get; set; } = "";
    public string Sha256 { get; set; } = "";
    public VideoStatus Status { get; set; }
    public double Progress { get; set; }
    public int Attempts { get; set; }
    public string? Error { get; set; }
    public double? DurationSeconds { get; set; }
    public int? Width { get; set; }
    public int? Height { get; set; }
    public string? VideoCodec { get; set; }
    public string? AudioCodec { get; set; }
    public long SizeBytes { get; set; }
    public DateTime CreatedUtc { get; set; }
    public DateTime UpdatedUtc { get; set; }
}

public sealed class VideoModel : IModelContributor
{
    public void Configure(ModelBuilder modelBuilder, DatabaseProvider provider)
    {
        modelBuilder.Entity<VideoRecord>(e =>
        {
            e.ToTable("Videos");
            e.HasKey(x => x.Path);
            e.Property(x => x.Path).HasMaxLength(512);
            e.Property(x => x.Sha256).HasMaxLength(64).IsFixedLength();
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.VideoCodec).HasMaxLength(32);
            e.Property(x => x.AudioCodec).HasMaxLength(32);
            e.Property(x => x.Error).HasMaxLength(4000);
            e.HasIndex(x => x.Sha256);
            e.HasIndex(x => new { x.Status, x.CreatedUtc });
            if (provider == DatabaseProvider.MySql)
            {
                e.Property(x => x.Path).UseCollation("utf8mb4_bin");
            }
        });
    }
}
