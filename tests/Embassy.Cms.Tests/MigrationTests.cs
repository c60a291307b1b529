using Embassy.Core;
using Embassy.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.Cms.Tests;

/// <summary>The migrations of each provider cover the model every module contributes at run time (a module whose
/// tables the EF design-time factories do not know would show here as pending model changes).</summary>
public sealed class MigrationTests
{
    [Theory]
    [InlineData(TestDatabase.Sqlite)]
    [InlineData(TestDatabase.MariaDb)]
    public async Task TheMigrations_CoverEveryModulesModel(TestDatabase database)
    {
        await using var site = await TestSite.CreateAsync(database);
        await site.WithScopeAsync(sp =>
        {
            Assert.False(sp.GetRequiredService<EmbassyDbContext>().Database.HasPendingModelChanges(),
                "the model has changes no migration holds: add a migration for both providers (README, Migrations)");
            return Task.CompletedTask;
        });
    }
}
