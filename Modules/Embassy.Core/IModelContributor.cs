using Microsoft.EntityFrameworkCore;

namespace Embassy.Core;

/// <summary>
/// A module's share of the database model. Modules own their entities and configure them here;
/// the one <see cref="EmbassyDbContext"/> composes them so that a recipe import spans modules in
/// a single transaction.
/// </summary>
public interface IModelContributor
{
    void Configure(ModelBuilder modelBuilder, DatabaseProvider provider);
}
