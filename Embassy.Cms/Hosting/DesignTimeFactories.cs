using Embassy.Core;
using Embassy.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Embassy.Cms.Hosting;

// Used by `dotnet ef migrations add … --startup-project Embassy.Cms` only; the application builds its contexts
// through DI. The tables are those of the modules the server itself registers (EmbassyModules.AddContentCore): a
// module that adds a model contributor needs no second list here.
internal static class DesignTime
{
    public static IReadOnlyList<IModelContributor> Contributors()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.AddContentCore();
        return builder.Services.Where(d => d.ServiceType == typeof(IModelContributor))
            .Select(d => d.ImplementationInstance as IModelContributor ?? (IModelContributor)Activator.CreateInstance(d.ImplementationType!)!)
            .ToList();
    }
}

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteEmbassyDbContext>
{
    public SqliteEmbassyDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteEmbassyDbContext>().UseSqlite("Data Source=design-time.db").Options, DesignTime.Contributors());
}

internal sealed class MySqlDesignTimeFactory : IDesignTimeDbContextFactory<MySqlEmbassyDbContext>
{
    public MySqlEmbassyDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<MySqlEmbassyDbContext>()
            .UseMySql("Server=127.0.0.1;Database=design", ServerVersion.Parse(DatabaseModule.DefaultMySqlServerVersion)).Options,
            DesignTime.Contributors());
}
