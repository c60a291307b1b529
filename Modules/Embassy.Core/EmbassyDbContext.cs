using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Embassy.Core;

/// <summary>
/// The application's database. Each provider has its own derived type (and its own migration
/// set); modules add their tables through <see cref="IModelContributor"/>.
/// </summary>
public abstract class EmbassyDbContext : IdentityDbContext<IdentityUser, IdentityRole, string>
{
    private readonly IReadOnlyList<IModelContributor>? _contributors;

    /// <summary>For the application: pooled contexts take only options; the modules' contributors come from
    /// the application's services (<see cref="ModelContributors"/>) when the model is first built.</summary>
    protected EmbassyDbContext(DbContextOptions options) : base(options) { }

    /// <summary>For design-time tools, which have no application services.</summary>
    protected EmbassyDbContext(DbContextOptions options, IReadOnlyList<IModelContributor> contributors) : base(options) =>
        _contributors = contributors;

    public abstract DatabaseProvider Provider { get; }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        var contributors = _contributors ?? this.GetService<ModelContributors>().All;
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
        builder.Entity<AuditEntry>(e =>
        {
            e.ToTable("AuditLog");
            e.HasKey(x => x.Id);
            e.Property(x => x.UserName).HasMaxLength(256);
            e.Property(x => x.Action).HasMaxLength(64);
            e.Property(x => x.Subject).HasMaxLength(256);
            e.Property(x => x.Detail).HasMaxLength(1024);
            e.HasIndex(x => x.UserName);
            e.HasIndex(x => x.Subject);
        });
        builder.Entity<SignInFailureRecord>(e =>
        {
            e.ToTable("SignInFailures");
            e.HasKey(x => new { x.Account, x.Address });
            e.Property(x => x.Account).HasMaxLength(256);
            e.Property(x => x.Address).HasMaxLength(128);
            e.Property(x => x.Count).IsConcurrencyToken();
            e.HasIndex(x => x.LastUtc);
        });
        builder.Entity<DataProtectionKeyRecord>(e =>
        {
            e.ToTable("DataProtectionKeys");
            e.HasKey(x => x.Id);
            e.Property(x => x.FriendlyName).HasMaxLength(256);
            if (Provider == DatabaseProvider.MySql)
            {
                e.Property(x => x.Xml).HasColumnType("longtext");
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

/// <summary>The modules' <see cref="IModelContributor"/>s, as one service the DbContext can resolve.</summary>
public sealed class ModelContributors(IEnumerable<IModelContributor> contributors)
{
    public IReadOnlyList<IModelContributor> All { get; } = contributors.ToList();
}
