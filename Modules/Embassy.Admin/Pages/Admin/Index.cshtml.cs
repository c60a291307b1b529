using Embassy.Content.Services;
using Embassy.Core;
using Embassy.Video.Services;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Embassy.Admin.Pages.Admin;

[Authorize(Policy = Permissions.EditOwnContent)]
public sealed class DashboardModel(EditorQueries queries, VideoCatalog videos, PublishedContent published, TimeProvider clock) : PageModel
{
    public IReadOnlyDictionary<string, int> Counts { get; private set; } = new Dictionary<string, int>();

    public IReadOnlyList<EditorListItem> Recent { get; private set; } = [];

    public IReadOnlyList<EditorListItem> Drafts { get; private set; } = [];

    public IReadOnlyList<VideoInfo> Videos { get; private set; } = [];

    public IReadOnlyList<(string Id, string Title, string Type, DateTime At, bool Publish)> Scheduled { get; private set; } = [];

    public IReadOnlyList<Embassy.Content.Models.ContentItem> ActiveAlerts { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Counts = (await queries.CountsAsync(cancellationToken)).Where(c => Permissions.Can(User, Permissions.EditOwnContent, c.Key)).ToDictionary();
        Recent = (await queries.ListAsync(new EditorListQuery(null) { PageSize = 15 }, cancellationToken)).Items;
        Drafts = (await queries.ListAsync(new EditorListQuery(null) { Status = EditorStatus.Draft, PageSize = 10 }, cancellationToken)).Items;
        Videos = (await videos.ListAsync(readyOnly: false, cancellationToken)).Where(v => v.Status != "ready").Take(10).ToList();
        Scheduled = await queries.ScheduledAsync(cancellationToken);
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
