using Embassy.Content.Services;
using Embassy.Core;
using Embassy.Video.Services;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Embassy.Admin.Pages.Admin;

[Authorize(Policy = Permissions.EditOwnContent)]
public sealed class DashboardModel(EditorQueries queries, VideoCatalog videos) : PageModel
{
    public IReadOnlyDictionary<string, int> Counts { get; private set; } = new Dictionary<string, int>();

    public IReadOnlyList<EditorListItem> Recent { get; private set; } = [];

    public IReadOnlyList<EditorListItem> Drafts { get; private set; } = [];

    public IReadOnlyList<VideoInfo> Videos { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Counts = await queries.CountsAsync(cancellationToken);
        Recent = (await queries.ListAsync(null, null, EditorStatus.All, null, 1, 15, cancellationToken)).Items;
        Drafts = (await queries.ListAsync(null, null, EditorStatus.Draft, null, 1, 10, cancellationToken)).Items;
        Videos = (await videos.ListAsync(readyOnly: false, cancellationToken)).Where(v => v.Status != "ready").Take(10).ToList();
    }
}
