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

    /// <summary>
    /// The key that encrypts the data-protection keys where they are stored (in the database): base64 of 32 random
    /// bytes, one line, kept outside the database so that a copy of the database (a dump, a backup, the replica) holds
    /// no usable key. The same file on both servers (first setup copies it, like the sync secret). Empty: <c>
    /// data-protection.key</c> in the data directory, made (0600) by a master that has none.
    /// </summary>
    public string? DataProtectionKeyFile { get; set; }

    public string DataProtectionKeyPath => DataProtectionKeyFile is { Length: > 0 } file ? Path.GetFullPath(file, DataDirectory) : Path.Combine(DataDirectory, "data-protection.key");

    public string MediaDirectory => Path.Combine(DataDirectory, "media");

    /// <summary>Files of a write in progress (uploads, recipe media) live here until they are complete.</summary>
    public string StagingDirectory => Path.Combine(DataDirectory, ".staging");
}

public enum ServerRole
{
    Master,
    Standby,
}
