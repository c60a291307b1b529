using System.ComponentModel.DataAnnotations;

namespace Embassy.Core;

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>Sqlite (embedded default) or MySql (MariaDB 10.11+ / MySQL 8 through Pomelo).</summary>
    [Required]
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>MySQL/MariaDB server version when it should not be detected by connecting (e.g. "10.11.0-mariadb").</summary>
    public string? ServerVersion { get; set; }
}

public enum DatabaseProvider
{
    Sqlite,
    MySql,
}
