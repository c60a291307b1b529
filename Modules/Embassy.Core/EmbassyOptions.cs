using System.ComponentModel.DataAnnotations;

namespace Embassy.Core;

/// <summary>The server's identity: where its data lives and which role it plays.</summary>
public sealed class EmbassyOptions
{
    public const string Section = "Embassy";

    /// <summary>Data directory (SQLite file, media, staging). Relative paths are under the content root.</summary>
    [Required]
    public string DataDirectory { get; set; } = "App_Data";

    /// <summary>Master (writes, CMI, migrations) or Standby (read-only replica).</summary>
    public ServerRole Role { get; set; } = ServerRole.Master;

    public string MediaDirectory => Path.Combine(DataDirectory, "media");

    /// <summary>Files of a write in progress (uploads, recipe media) live here until they are complete.</summary>
    public string StagingDirectory => Path.Combine(DataDirectory, ".staging");
}

public enum ServerRole
{
    Master,
    Standby,
}
