using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Embassy.Core;

/// <summary>
/// The application's database. Each provider has its own derived type (and its own migration
/// set); modules add their tables through <see cref="IModelContributor"/>.
/// </summary>
public abstract class EmbassyDbContext(DbContextOptions options, IEnumerable<IModelContributor> contributors)
    : IdentityDbContext<IdentityUser, IdentityRole, string>(options)
{
    public abstract DatabaseProvider Provider { get; }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<SiteSettingsRecord>(e =>
        {
            e.ToTable("SiteSettings");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever();
            if (Provider == DatabaseProvider.MySql)
            {
                e.Property(x => x.Document).HasColumnType("longtext");
            }
        });
        foreach (var contributor in contributors)
        {
            contributor.Configure(builder, Provider);
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        // Every timestamp is UTC; providers hand back DateTimeKind.Unspecified, so say it once here.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
