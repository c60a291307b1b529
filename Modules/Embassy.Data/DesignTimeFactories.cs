using Embassy.Content.Data;
using Embassy.Core;
using Embassy.Media.Data;
using Embassy.Video.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Embassy.Data;

// Used by `dotnet ef migrations add` only; the application builds its contexts through DI.
internal static class DesignTime
{
    public static IModelContributor[] Contributors => [new ContentModel(), new MediaModel(), new VideoModel(), new Embassy.Notifications.Data.NotificationsModel()];
}

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteEmbassyDbContext>
{
    public SqliteEmbassyDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteEmbassyDbContext>().UseSqlite("Data Source=design-time.db").Options, DesignTime.Contributors);
}

internal sealed class MySqlDesignTimeFactory : IDesignTimeDbContextFactory<MySqlEmbassyDbContext>
{
    public MySqlEmbassyDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<MySqlEmbassyDbContext>()
            .UseMySql("Server=127.0.0.1;Database=design", ServerVersion.Parse(DatabaseModule.DefaultMySqlServerVersion)).Options,
            DesignTime.Contributors);
}
