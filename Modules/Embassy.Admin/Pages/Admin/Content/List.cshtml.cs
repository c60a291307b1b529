using Embassy.Admin.Localization;
using Embassy.Content.Services;
using Embassy.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.Admin.Pages.Admin.Content;

/// <summary>The items of one type: search, filters, sorting, paging, and publish/unpublish/delete of several at once.</summary>
[Authorize(Policy = Permissions.EditOwnContent)]
public sealed class ContentListModel(EditorQueries queries, ContentDefinitionStore definitions, ContentManager content) : PageModel
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

    [FromQuery(Name = "author")]
    public string? Author { get; set; }

    /// <summary>modified, title or created; with a leading '-' for newest/Z first (the default is -modified).</summary>
    [FromQuery(Name = "sort")]
    public string Sort { get; set; } = "-modified";

    [FromQuery(Name = "p")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<EditorListItem> Items { get; private set; } = [];

    public IReadOnlyList<string> Authors { get; private set; } = [];

    public int Total { get; private set; }

    public bool CanPublish { get; private set; }

    public bool CanDelete { get; private set; }

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(string type, CancellationToken cancellationToken)
    {
        if (!await LoadTypeAsync(type, cancellationToken))
        {
            return NotFound();
        }
        var status = Status switch { "draft" => EditorStatus.Draft, "published" => EditorStatus.Published, "scheduled" => EditorStatus.Scheduled, _ => EditorStatus.All };
        var sort = Sort.TrimStart('-') switch { "title" => EditorSort.Title, "created" => EditorSort.Created, _ => EditorSort.Modified };
        var canEditAll = Permissions.Can(User, Permissions.EditContent, Type);
        // The search index when it is open (words in any inflected form, without diacritics); else the text as written.
        var index = HttpContext.RequestServices.GetRequiredService<Embassy.Search.SearchIndex>();
        var found = !string.IsNullOrWhiteSpace(Q) && index.IsOpen ? Embassy.Search.SearchQuery.RunLatest(index, Q, Type, 2000) : null;
        (Items, Total) = await queries.ListAsync(new EditorListQuery(Type)
        {
            Search = Q,
            SearchIds = found,
            Status = status,
            Culture = string.IsNullOrEmpty(Culture) ? null : Culture,
            // Authors (own content only) see their own items.
            Author = canEditAll ? Author : null,
            Scope = EditorScopes.For(User, [Type]),
            Sort = sort,
            Ascending = !Sort.StartsWith('-'),
            Page = Math.Clamp(PageNumber, 1, EditorQueries.MaxPage),
            PageSize = PageSize,
        }, cancellationToken);
        Authors = canEditAll ? await queries.AuthorsAsync(Type, cancellationToken) : [];
        return Page();
    }

    /// <summary>Publishes, unpublishes or deletes the ticked items; each is checked as if done one by one.</summary>
    public async Task<IActionResult> OnPostBulkAsync(string type, string action, string[] ids, bool confirmDelete, CancellationToken cancellationToken)
    {
        if (!await LoadTypeAsync(type, cancellationToken))
        {
            return NotFound();
        }
        var allowed = action switch
        {
            "publish" or "unpublish" => CanPublish,
            "delete" => CanDelete,
            _ => false,
        };
        if (!allowed)
        {
            return action is "publish" or "unpublish" or "delete" ? Forbid() : BadRequest();
        }
        if (ids.Length == 0)
        {
            Message = this.Say("Tick the items first.");
            return RedirectToPage(new { type });
        }
        if (action == "delete" && !confirmDelete)
        {
            Message = this.Say("Tick \"yes, delete\" to confirm deleting the ticked items ({0}).", ids.Length);
            return RedirectToPage(new { type });
        }
        var done = 0;
        foreach (var id in ids.Distinct(StringComparer.Ordinal).Take(PageSize))
        {
            var item = await content.GetLatestAsync(id, cancellationToken);
            if (item is null || item.ContentType != Type || !Permissions.CanEdit(User, item.ContentType, item.Owner))
            {
                continue;
            }
            var changed = action switch
            {
                "publish" => !item.Published && await content.PublishAsync(id, cancellationToken) is not null,
                "unpublish" => await content.UnpublishAsync(id, cancellationToken),
                _ => await content.DeleteAsync(id, cancellationToken),
            };
            done += changed ? 1 : 0;
        }
        Message = action switch
        {
            "publish" => this.Say("Published: {0} of {1}.", done, ids.Length),
            "unpublish" => this.Say("Unpublished: {0} of {1}.", done, ids.Length),
            _ => this.Say("Deleted: {0} of {1}.", done, ids.Length),
        } + (done < ids.Length ? " " + this.Say("The others were already so, or not yours to change.") : "");
        return RedirectToPage(new { type });
    }

    /// <summary>A link to this list with one parameter changed.</summary>
    public string Link(string? sort = null, int? page = null) =>
        $"?q={Uri.EscapeDataString(Q ?? "")}&status={Status}&culture={Culture}&author={Uri.EscapeDataString(Author ?? "")}&sort={sort ?? Sort}&p={page ?? 1}";

    private async Task<bool> LoadTypeAsync(string type, CancellationToken cancellationToken)
    {
        var definition = await definitions.GetTypeAsync(type, cancellationToken);
        if (definition is null || !Permissions.Can(User, Permissions.EditOwnContent, definition.Name))
        {
            return false;
        }
        Type = definition.Name;
        DisplayName = definition.DisplayName;
        CanPublish = Permissions.Can(User, Permissions.PublishContent, Type);
        CanDelete = Permissions.Can(User, Permissions.DeleteContent, Type);
        return true;
    }
}
