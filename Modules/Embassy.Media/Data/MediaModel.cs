using Embassy.Core;
using Microsoft.EntityFrameworkCore;

namespace Embassy.Media.Data;

/// <summary>The media index: one row per file that is complete on disk.</summary>
public sealed class MediaFileRecord
{
    public string Path { get; set; } = "";
    public long Size { get; set; }
    /// <summary>Lowercase hex SHA-256 of the bytes; ETags derive from it, so both servers give the same one.</summary>
    public string Sha256 { get; set; } = "";
    public string ContentType { get; set; } = "application/octet-stream";
    public DateTime CreatedUtc { get; set; }
    public DateTime ModifiedUtc { get; set; }

    /// <summary>Images: the size as shown (after the EXIF orientation), read at upload; null for other files and older rows.</summary>
    public int? Width { get; set; }

    public int? Height { get; set; }
}

public sealed class MediaModel : IModelContributor
{
    public void Configure(ModelBuilder modelBuilder, DatabaseProvider provider)
    {
        modelBuilder.Entity<MediaFileRecord>(e =>
        {
            e.ToTable("MediaFiles");
            e.HasKey(x => x.Path);
            e.Property(x => x.Path).HasMaxLength(512);
            e.Property(x => x.Sha256).HasMaxLength(64).IsFixedLength().IsRequired();
            e.Property(x => x.ContentType).HasMaxLength(255).IsRequired();
            e.HasIndex(x => x.Sha256);
            if (provider == DatabaseProvider.MySql)
            {
                // Paths are case-sensitive on the file system, so they are in the index too.
                e.Property(x => x.Path).UseCollation("utf8mb4_bin");
            }
        });
    }
}
