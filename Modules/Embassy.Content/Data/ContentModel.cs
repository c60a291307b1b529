using Embassy.Core;
using Microsoft.EntityFrameworkCore;

namespace Embassy.Content.Data;

public sealed class ContentModel : IModelContributor
{
    public const int IdLength = 64;

    public void Configure(ModelBuilder modelBuilder, DatabaseProvider provider)
    {
        modelBuilder.Entity<Preview.PreviewTokenRecord>(e =>
        {
            e.ToTable("PreviewTokens");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(IdLength);
            e.Property(x => x.TokenHash).HasMaxLength(64).IsRequired();
            e.Property(x => x.ContentItemId).HasMaxLength(IdLength);
            e.Property(x => x.Name).HasMaxLength(Preview.PreviewTokens.MaxNameLength).IsRequired();
            e.Property(x => x.CreatedBy).HasMaxLength(255);
            e.Property(x => x.CreatedById).HasMaxLength(255);
            e.HasIndex(x => x.TokenHash).IsUnique();
            e.HasIndex(x => x.ExpiresUtc);
        });
        modelBuilder.Entity<TranslationStepRecord>(e =>
        {
            e.ToTable("TranslationSteps");
            e.HasKey(x => x.ContentItemId);
            e.Property(x => x.ContentItemId).HasMaxLength(IdLength);
            e.Property(x => x.LocalizationSet).HasMaxLength(IdLength).IsRequired();
            e.HasIndex(x => new { x.LocalizationSet, x.InStepWith });
        });
        modelBuilder.Entity<ContentItemRecord>(e =>
        {
            e.ToTable("ContentItems");
            e.HasKey(x => x.Id);
            e.Property(x => x.ContentItemId).HasMaxLength(IdLength).IsRequired();
            e.Property(x => x.ContentItemVersionId).HasMaxLength(IdLength).IsRequired();
            e.Property(x => x.ContentType).HasMaxLength(255).IsRequired();
            e.Property(x => x.DisplayText).HasMaxLength(1024).IsRequired();
            e.Property(x => x.Culture).HasMaxLength(16);
            e.Property(x => x.LocalizationSet).HasMaxLength(IdLength);
            e.Property(x => x.Alias).HasMaxLength(512);
            e.Property(x => x.Path).HasMaxLength(512);
            e.Property(x => x.PublishedCultures).HasMaxLength(255);
            e.Property(x => x.Owner).HasMaxLength(255);
            e.Property(x => x.Author).HasMaxLength(255);
            e.Property(x => x.ScheduledBy).HasMaxLength(255);
            e.Property(x => x.Data).IsRequired();
            e.HasIndex(x => x.ContentItemVersionId).IsUnique();
            e.HasIndex(x => new { x.ContentItemId, x.Latest });
            e.HasIndex(x => new { x.ContentItemId, x.Published });
            // List orders: the type, then the sort key and the id that breaks ties, so that a page is an
            // ordered index scan that stops after LIMIT rows. 'Published' is not a leading column on purpose:
            // providers test a boolean column as "WHERE Published", which planners do not use as an index equality.
            // The columns after the sort key are everything a list page filters on and reads (PublishedContent's
            // list queries), so that a page never leaves the index.
            e.HasIndex(x => new { x.ContentType, x.PublishedUtc, x.ContentItemId, x.Published, x.Culture, x.LocalizationSet, x.PublishedCultures, x.EndUtc, x.ContentItemVersionId })
                .HasDatabaseName("IX_ContentItems_List_Published");
            e.HasIndex(x => new { x.ContentType, x.StartUtc, x.ContentItemId, x.Published, x.Culture, x.LocalizationSet, x.PublishedCultures, x.EndUtc, x.ContentItemVersionId, x.PublishedUtc })
                .HasDatabaseName("IX_ContentItems_List_Start");
            e.HasIndex(x => new { x.ContentType, x.SortOrder, x.ContentItemId, x.Published, x.Culture, x.LocalizationSet, x.PublishedCultures, x.EndUtc, x.ContentItemVersionId, x.PublishedUtc })
                .HasDatabaseName("IX_ContentItems_List_Order");
            // Translations of an item, by culture: the culture fallback's "is there one in an earlier culture?".
            e.HasIndex(x => new { x.LocalizationSet, x.Culture, x.Published });
            e.HasIndex(x => x.ModifiedUtc); // the search index reads the latest versions modified since its last look
            e.HasIndex(x => x.ScheduledPublishUtc);
            e.HasIndex(x => x.ScheduledUnpublishUtc);
            e.HasIndex(x => x.Alias);
            e.HasIndex(x => x.Path);
            if (provider == DatabaseProvider.MySql)
            {
                // Ids are case-sensitive, like Orchard's; MariaDB's default collation is not.
                e.Property(x => x.ContentItemId).UseCollation("utf8mb4_bin");
                e.Property(x => x.ContentItemVersionId).UseCollation("utf8mb4_bin");
                e.Property(x => x.LocalizationSet).UseCollation("utf8mb4_bin");
                e.Property(x => x.Data).HasColumnType("longtext");
            }
        });
        modelBuilder.Entity<ContentTypeRecord>(e =>
        {
            e.ToTable("ContentTypes");
            e.HasKey(x => x.Name);
            e.Property(x => x.Name).HasMaxLength(255);
            e.Property(x => x.DisplayName).HasMaxLength(1024);
            if (provider == DatabaseProvider.MySql)
            {
                e.Property(x => x.Name).UseCollation("utf8mb4_bin");
                e.Property(x => x.Definition).HasColumnType("longtext");
            }
        });
        modelBuilder.Entity<ContentPartRecord>(e =>
        {
            e.ToTable("ContentParts");
            e.HasKey(x => x.Name);
            e.Property(x => x.Name).HasMaxLength(255);
            if (provider == DatabaseProvider.MySql)
            {
                e.Property(x => x.Name).UseCollation("utf8mb4_bin");
                e.Property(x => x.Definition).HasColumnType("longtext");
            }
        });
        modelBuilder.Entity<ChangeFeedEntry>(e =>
        {
            e.ToTable("ChangeFeed");
            e.HasKey(x => x.Sequence);
            // Allocated by ChangeFeed under the head row's lock, never by the database.
            e.Property(x => x.Sequence).ValueGeneratedNever();
            e.Property(x => x.ContentItemId).HasMaxLength(IdLength);
            e.Property(x => x.ContentItemVersionId).HasMaxLength(IdLength);
            e.Property(x => x.ContentType).HasMaxLength(255);
            e.Property(x => x.Culture).HasMaxLength(16);
            e.HasIndex(x => x.ContentItemId);
        });
        modelBuilder.Entity<ChangeFeedHead>(e =>
        {
            e.ToTable("ChangeFeedHead");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever();
            e.HasData(new ChangeFeedHead { Id = 1, Sequence = 0 });
        });
    }
}
