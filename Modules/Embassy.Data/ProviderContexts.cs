using Embassy.Core;
using Microsoft.EntityFrameworkCore;

namespace Embassy.Data;

/// <summary>The embedded default. Its own type so that its migrations are its own.</summary>
public sealed class SqliteEmbassyDbContext : EmbassyDbContext
{
    public SqliteEmbassyDbContext(DbContextOptions<SqliteEmbassyDbContext> options) : base(options) { }

    /// <summary>For design-time tools (the host's factories), which have no application services. Internal: a pooled
    /// context must have one public constructor.</summary>
    internal SqliteEmbassyDbContext(DbContextOptions<SqliteEmbassyDbContext> options, IReadOnlyList<IModelContributor> contributors)
        : base(options, contributors) { }

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

/// <summary>MariaDB 10.11+ / MySQL 8 through Pomelo.</summary>
public sealed class MySqlEmbassyDbContext : EmbassyDbContext
{
    public MySqlEmbassyDbContext(DbContextOptions<MySqlEmbassyDbContext> options) : base(options) { }

    /// <summary>For design-time tools (the host's factories), which have no application services. Internal: a pooled
    /// context must have one public constructor.</summary>
    internal MySqlEmbassyDbContext(DbContextOptions<MySqlEmbassyDbContext> options, IReadOnlyList<IModelContributor> contributors)
        : base(options, contributors) { }

    public override DatabaseProvider Provider => DatabaseProvider.MySql;
}
