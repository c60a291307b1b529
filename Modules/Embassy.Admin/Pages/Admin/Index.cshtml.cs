using Embassy.Content.Services;
using Embassy.Core;
using Embassy.Video.Services;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Embassy.Admin.Pages.Admin;

[Authorize(Policy = Permissions.EditOwnContent)]
public sealed class DashboardModel(EditorQueries queries, ContentDefinitionStore definitions, VideoCatalog videos, PublishedContent published, TimeProvider clock) : PageModel
{
    public IReadOnlyDictionary<string, int> Counts { get; private set; } = new Dictionary<string, int>();

    public IReadOnlyList<EditorListItem> Recent { get; private set; } = [];

    public IReadOnlyList<EditorListItem> Drafts { get; private set; } = [];

    public IReadOnlyList<VideoInfo> Videos { get; private set; } = [];

    /// <summary>Videos per status (ready, processing, failed …): the card's summary.</summary>
    public IReadOnlyDictionary<string, int> VideoCounts { get; private set; } = new Dictionary<string, int>();

    public IReadOnlyList<(string Id, string Title, string Type, DateTime At, bool Publish)> Scheduled { get; private set; } = [];

    /// <summary>Items whose translation was edited since they last were.</summary>
    public IReadOnlyList<(string Id, string Title, string Type, string? Culture)> Outdated { get; private set; } = [];

    public IReadOnlyList<Embassy.Content.Models.ContentItem> ActiveAlerts { get; private set; } = [];

    /// <summary>Type name → the name editors know it by ("ConsularService" → "Consular service").</summary>
    public IReadOnlyDictionary<string, string> TypeNames { get; private set; } = new Dictionary<string, string>();

    public string TypeName(string type) => TypeNames.GetValueOrDefault(type, type);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        // Only what this user may open: every item of the types they edit, their own of the types they may edit their own of.
        var types = await definitions.ListTypesAsync(cancellationToken);
        TypeNames = types.ToDictionary(t => t.Name, t => t.DisplayName, StringComparer.Ordinal);
        var scope = EditorScopes.For(User, types.Select(t => t.Name));
        Counts = await queries.CountsAsync(scope, cancellationToken);
        Recent = (await queries.ListAsync(new EditorListQuery(null) { PageSize = 15, Scope = scope }, cancellationToken)).Items;
        Drafts = (await queries.ListAsync(new EditorListQuery(null) { Status = EditorStatus.Draft, PageSize = 10, Scope = scope }, cancellationToken)).Items;
        var all = await videos.ListAsync(readyOnly: false, cancellationToken);
        VideoCounts = all.GroupBy(v => v.Status).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        Videos = all.Where(v => v.Status != "ready").Take(10).ToList();
        Scheduled = await queries.ScheduledAsync(scope, cancellationToken);
        Outdated = await queries.OutdatedTranslationsAsync(scope, 10, cancellationToken);
        // Each language on its own: the app's fallback would hide a translation behind the other.
        var alerts = new List<Embassy.Content.Models.ContentItem>();
        foreach (var culture in new[] { "pl", "en" })
        {
            alerts.AddRange(await published.ListAsync(new ContentListQuery("Alert", [culture], ContentOrder.Published, 20)
            {
                EndsAfter = clock.GetUtcNow().UtcDateTime,
            }, cancellationToken));
        }
        ActiveAlerts = alerts.DistinctBy(a => a.ContentItemId).ToList();
    }
}
