using System.Text.Json.Nodes;
using Embassy.Content.Services;
using Embassy.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.Content.Tests;

/// <summary>Optimistic concurrency in the core: a save over a revision that is no longer the latest writes nothing.</summary>
public sealed class ConcurrencyTests
{
    [Theory]
    [InlineData(TestDatabase.Sqlite)]
    [InlineData(TestDatabase.MariaDb)]
    public async Task ASaveOverAnOlderRevision_IsRefused_AndWritesNothing(TestDatabase database)
    {
        await using var site = await TestSite.CreateAsync(database);
        await site.WithScopeAsync(async sp => await sp.GetRequiredService<ContentDefinitionStore>().AlterTypeAsync(JsonNode.Parse("""
            { "Name": "Note", "DisplayName": "Note", "Settings": {}, "ContentTypePartDefinitionRecords": [ { "PartName": "TitlePart", "Name": "TitlePart" } ] }
            """)!.AsObject(), default));
        static JsonObject Note(string title) => new() { ["TitlePart"] = new JsonObject { ["Title"] = title } };
        var (id, opened) = await site.WithScopeAsync(async sp =>
        {
            var item = await sp.GetRequiredService<ContentManager>().CreateAsync(new NewContentItem("Note", Note("draft")) { Author = "anna" }, default);
            return (item.ContentItemId, (await sp.GetRequiredService<ContentManager>().GetLatestAsync(item.ContentItemId, default))!.Revision);
        });
        // Anna saves over what she opened: fine, and the revision moves (a draft saved again keeps its version id).
        var after = await site.WithScopeAsync(async sp =>
            (await sp.GetRequiredService<ContentManager>().UpdateDraftAsync(id, Note("anna's"), "anna", opened, default))!);
        var current = await site.WithScopeAsync(async sp => (await sp.GetRequiredService<ContentManager>().GetLatestAsync(id, default))!);
        Assert.NotEqual(opened, current.Revision);
        // Piotr opened it before Anna saved: refused, with who saved it; nothing of his is written.
        var conflict = await Assert.ThrowsAsync<ContentConflictException>(() => site.WithScopeAsync(sp =>
            sp.GetRequiredService<ContentManager>().UpdateDraftAsync(id, Note("piotr's"), "piotr", opened, default)));
        Assert.Equal("anna", conflict.Current!.Author);
        Assert.Equal("anna's", (await site.WithScopeAsync(sp => sp.GetRequiredService<ContentManager>().GetLatestAsync(id, default)))!.DisplayText);
        Assert.Equal(after.ContentItemVersionId, current.ContentItemVersionId);
    }
}
