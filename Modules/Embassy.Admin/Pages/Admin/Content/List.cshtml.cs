using Embassy.Content.Services;
using Embassy.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Embassy.Admin.Pages.Admin.Content;

[Authorize(Policy = Permissions.EditOwnContent)]
public sealed class ContentListModel(EditorQueries queries, ContentDefinitionStore definitions) : PageModel
{
    public const int PageSize = 50;

    public string Type { get; private set; } = "";

    public string DisplayName { get; private set; } = "";

    [FromQuery(Name = "q")]
    public string? Q { get; set; }

    [FromQuery(Name = "status")]
    public string Status { get; set; } = "all";

    [FromQuery(Name = "culture")]
    public string? Culture { get; set; }

    [FromQuery(Name = "p")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<EditorListItem> Items { get; private set; } = [];

    public int Total { get; private set; }

    public async Task<IActionResult> OnGetAsync(string type, CancellationToken cancellationToken)
    {
        var definition = await definitions.GetTypeAsync(type, cancellationToken);
        if (definition is null)
        {
            return NotFound();
        }
        Type = definition.Name;
        DisplayName = definition.DisplayName;
        var status = Status switch { "draft" => EditorStatus.Draft, "published" => EditorStatus.Published, _ => EditorStatus.All };
        (Items, Total) = await queries.ListAsync(type, Q, status, string.IsNullOrEmpty(Culture) ? null : Culture, Math.Max(1, PageNumber), PageSize, cancellationToken);
        return Page();
    }
}
