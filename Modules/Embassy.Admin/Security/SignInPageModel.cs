using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Embassy.Admin.Security;

/// <summary>The pages that take a password or code (sign-in, its code step, the password asked again): a refusal is
/// the page again with its status, the message and, when waiting helps, Retry-After.</summary>
public abstract class SignInPageModel : PageModel
{
    public string? Error { get; private set; }

    protected PageResult Refuse(int status, string error, TimeSpan? retryAfter = null)
    {
        Error = error;
        Response.StatusCode = status;
        if (retryAfter is { } wait)
        {
            Response.Headers.RetryAfter = SignInRefusal.Seconds(wait);
        }
        return Page();
    }
}
