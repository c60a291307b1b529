using Embassy.Core;
using Microsoft.EntityFrameworkCore;

namespace Embassy.Data;

/// <summary>The embedded default. Its own type so that its migrations are its own.</summary>
public sealed class SqliteEmbassyDbContext(DbContextOptions<SqliteEmbassyDbContext> options, IEnumerable<IModelContributor> contributors)
    : EmbassyDbContext(options, contributors)
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

/// <summary>MariaDB 10.11+ / MySQL 8 through Pomelo.</summary>
public sealed class MySqlEmbassyDbContext(DbContextOptions<MySqlEmbassyDbContext> options, IEnumerable<IModelContributor> contributors)
    : EmbassyDbContext(options, contributors)
{
    public override DatabaseProvider Provider => DatabaseProvider.MySql;
}
