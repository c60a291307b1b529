using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Embassy.Admin.Pages.Admin;

/// <summary>What a CMI page shows for an error status instead of the API's JSON (the status itself is kept).</summary>
[AllowAnonymous]
public sealed class StatusModel : PageModel
{
    public string Heading { get; private set; } = "";

    public string Explanation { get; private set; } = "";

    public void OnGet(int code) => (Heading, Explanation) = code switch
    {
        404 => ("Not found", "There is no such page or item, or it is not one you may open (an Author opens only their own items)."),
        400 => ("Not understood", "The address or the form was not what this page expects."),
        403 => ("Not allowed", "Your role does not allow this."),
        _ => ("Something went wrong", "Nothing was changed. Try again; if it happens again, tell the administrator the time it happened."),
    };
}
