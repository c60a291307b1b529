using System.Text.Json.Nodes;
using Embassy.Content.Data;
using Embassy.Content.Events;
using Embassy.Content.Services;
using Embassy.Core;
using Embassy.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.Content.Tests;

/// <summary>
/// Content commands raise events; what is derived from content (the change feed, PublishedCultures) is kept by handlers
/// in the change's transaction. The invariants those comments used to state are tested here.
/// </summary>
public sealed class ContentEventTests
{
    private sealed class Recorder : IContentHandler
    {
        public List<ContentEvent> Seen { get; } = [];

        public Task HandleAsync(ContentEvent change, CancellationToken cancellationToken)
        {
            Seen.Add(change);
            return Task.CompletedTask;
        }
    }

    private sealed class Failing : IContentHandler
    {
        public Task HandleAsync(ContentEvent change, CancellationToken cancellationToken) =>
            change.Kind == ContentEventKind.Published ? throw new InvalidOperationException("the search index is full") : Task.CompletedTask;
    }

    private static async Task DefineAsync(TestSite site) => await site.WithScopeAsync(async sp =>
    {
        var definitions = sp.GetRequiredService<ContentDefinitionStore>();
        await definitions.AlterTypeAsync(JsonNode.Parse("""
            { "Name": "Note", "DisplayName": "Note", "Settings": {},
              "ContentTypePartDefinitionRecords": [ { "PartName": "TitlePart", "Name": "TitlePart" }, { "PartName": "LocalizationPart", "Name": "LocalizationPart" } ] }
            """)!.AsObject(), default);
    });

    private static JsonObject Note(string title, string culture, string set) => new()
    {
        ["TitlePart"] = new JsonObject { ["Title"] = title },
        ["LocalizationPart"] = new JsonObject { ["Culture"] = culture, ["LocalizationSet"] = set },
    };

    [Fact]
    public async Task Handlers_SeeEveryChange_InOrder_AndOnlyPublicationChangesReachTheFeed()
    {
        var recorder = new Recorder();
        await using var site = await TestSite.CreateAsync(TestDatabase.Sqlite, services: s => s.AddScoped<IContentHandler>(_ => recorder));
        await DefineAsync(site);
        await site.WithScopeAsync(async sp =>
        {
            var content = sp.GetRequiredService<ContentManager>();
            var draft = await content.CreateAsync(new NewContentItem("Note", Note("draft", "en", "s0")), default);
            await content.DeleteAsync(draft.ContentItemId, default); // never published: not a publication change
            var item = await content.CreateAsync(new NewContentItem("Note", Note("one", "en", "s1")), default);
            await content.UpdateDraftAsync(item.ContentItemId, Note("one, edited", "en", "s1"), null, default);
            await content.PublishAsync(item.ContentItemId, default);
            await content.UnpublishAsync(item.ContentItemId, default);
            await content.PublishAsync(item.ContentItemId, default);
            await content.DeleteAsync(item.ContentItemId, default);
        });
        Assert.Equal(["Created", "Deleted", "Created", "DraftSaved", "Published", "Unpublished", "Published", "Deleted"],
            recorder.Seen.Select(e => e.Kind.ToString()));
        Assert.Equal([false, false, false, false, true, true, true, true], recorder.Seen.Select(e => e.ChangesPublication));
        var feed = await site.WithScopeAsync(sp => sp.GetRequiredService<ChangeFeed>().ReadAsync(0, 100, default));
        Assert.Equal([ChangeKind.Published, ChangeKind.Unpublished, ChangeKind.Published, ChangeKind.Deleted], feed.Select(e => e.Kind));
    }

    [Fact]
    public async Task AHandlerThatFails_UndoesTheWholeChange_FeedIncluded()
    {
        await using var site = await TestSite.CreateAsync(TestDatabase.Sqlite, services: s => s.AddScoped<IContentHandler, Failing>());
        await DefineAsync(site);
        await site.WithScopeAsync(async sp =>
        {
            var content = sp.GetRequiredService<ContentManager>();
            var item = await content.CreateAsync(new NewContentItem("Note", Note("one", "en", "s1")), default);
            await Assert.ThrowsAsync<InvalidOperationException>(() => content.PublishAsync(item.ContentItemId, default));
        });
        await site.WithScopeAsync(async sp =>
        {
            Assert.Empty(await sp.GetRequiredService<ChangeFeed>().ReadAsync(0, 10, default));
            Assert.False(await sp.GetRequiredService<EmbassyDbContext>().Set<ContentItemRecord>().AnyAsync(i => i.Published));
        });
    }

    /// <summary>PublishedCultures is, after any publication change, the cultures its set is published in.</summary>
    [Fact]
    public async Task PublishedCultures_FollowEveryPublicationChange()
    {
        await using var site = await TestSite.CreateAsync(TestDatabase.Sqlite);
        await DefineAsync(site);
        async Task<string[]> ColumnAsync() => await site.WithScopeAsync(async sp =>
            (await sp.GetRequiredService<EmbassyDbContext>().Set<ContentItemRecord>().AsNoTracking().Where(i => i.Published)
                .OrderBy(i => i.Culture).Select(i => i.PublishedCultures ?? "(none)").ToListAsync()).ToArray());
        var (en, pl) = await site.WithScopeAsync(async sp =>
        {
            var content = sp.GetRequiredService<ContentManager>();
            var english = await content.CreateAsync(new NewContentItem("Note", Note("hello", "en", "set")) { Publish = true }, default);
            var polish = await content.CreateAsync(new NewContentItem("Note", Note("cześć", "pl", "set")) { Publish = true }, default);
            return (english.ContentItemId, polish.ContentItemId);
        });
        Assert.Equal(["|en|pl|", "|en|pl|"], await ColumnAsync());
        await site.WithScopeAsync(sp => sp.GetRequiredService<ContentManager>().UnpublishAsync(pl, default));
        Assert.Equal(["|en|"], await ColumnAsync());
        await site.WithScopeAsync(sp => sp.GetRequiredService<ContentManager>().PublishAsync(pl, default));
        await site.WithScopeAsync(sp => sp.GetRequiredService<ContentManager>().DeleteAsync(en, default));
        Assert.Equal(["|pl|"], await ColumnAsync());
    }

    [Theory]
    [InlineData(TestDatabase.Sqlite)]
    [InlineData(TestDatabase.MariaDb)]
    public async Task Translations_AreMarkedOutdated_WhenAnotherCultureMovesOn_AndNotWhenTheyCatchUp(TestDatabase database)
    {
        await using var site = await TestSite.CreateAsync(database);
        await DefineAsync(site);
        var (en, pl) = await site.WithScopeAsync(async sp =>
        {
            var content = sp.GetRequiredService<ContentManager>();
            var english = await content.CreateAsync(new NewContentItem("Note", Note("hello", "en", "steps")), default);
            var polish = await content.CreateAsync(new NewContentItem("Note", Note("cześć", "pl", "steps")), default); // a translation starts in step
            return (english.ContentItemId, polish.ContentItemId);
        });
        Task<string[]> OutdatedAsync() => site.WithScopeAsync(async sp =>
            (await sp.GetRequiredService<EditorQueries>().OutdatedAsync([en, pl], default)).Order(StringComparer.Ordinal).ToArray());
        Task EditAsync(string id, string culture, string title) => site.WithScopeAsync(sp =>
            sp.GetRequiredService<ContentManager>().UpdateDraftAsync(id, Note(title, culture, "steps"), "editor", default));

        Assert.Empty(await OutdatedAsync());
        await EditAsync(en, "en", "hello, world");
        Assert.Equal([pl], await OutdatedAsync()); // the English moved on
        await EditAsync(en, "en", "hello, world!");
        Assert.Equal([pl], await OutdatedAsync()); // still only the Polish behind
        await EditAsync(pl, "pl", "cześć, świecie");
        Assert.Empty(await OutdatedAsync()); // caught up; the English is not now "behind" the Polish
        await EditAsync(pl, "pl", "Cześć, świecie!");
        Assert.Equal([en], await OutdatedAsync()); // an edit of an up-to-date Polish moves the set on too
        await site.WithScopeAsync(sp => sp.GetRequiredService<ContentManager>().DeleteAsync(pl, default));
        Assert.Empty(await OutdatedAsync()); // nothing to be behind any more
    }
}
