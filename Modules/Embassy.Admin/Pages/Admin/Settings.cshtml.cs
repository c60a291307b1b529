using Embassy.Admin.Localization;
using System.Text.Json.Nodes;
using Embassy.Content.Services;
using Embassy.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Embassy.Admin.Pages.Admin;

/// <summary>
/// Site settings: name, time zone, the app's default culture and fallback chains. Stored with Orchard's keys
/// (SiteName, TimeZoneId) in the replicated settings document; saving tells every server's API to rebuild.
/// </summary>
[Authorize(Policy = Permissions.ManageSettings)]
public sealed class SettingsModel(SiteSettingsStore settings, EmbassyDbContext db, AuditLog audit,
    IOptions<Embassy.MobileApi.MobileApiOptions> api) : PageModel
{
    public string SiteName { get; private set; } = "";

    public string TimeZoneId { get; private set; } = "";

    public string DefaultCulture { get; private set; } = "";

    public IReadOnlyList<string> Cultures => api.Value.Cultures;

    public Dictionary<string, string> Fallback { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<string> TimeZones { get; } = TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id).Order(StringComparer.Ordinal).ToList();

    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var document = await settings.GetAsync(cancellationToken);
        var localization = Embassy.MobileApi.Json.ApiLocalization.From(api.Value, document);
        SiteName = (string?)document["SiteName"] ?? "";
        TimeZoneId = (string?)document["TimeZoneId"] ?? "Europe/Warsaw";
        DefaultCulture = localization.Default;
        foreach (var culture in localization.Cultures)
        {
            Fallback[culture] = string.Join(", ", localization.Fallback.GetValueOrDefault(culture, []));
        }
    }

    public async Task<IActionResult> OnPostAsync(string? siteName, string? timeZoneId, string? defaultCulture, CancellationToken cancellationToken)
    {
        SiteName = siteName?.Trim() ?? "";
        TimeZoneId = timeZoneId?.Trim() ?? "";
        DefaultCulture = defaultCulture ?? "";
        if (SiteName.Length is 0 or > 200)
        {
            Errors["siteName"] = this.Say("The site needs a name (at most 200 characters).");
        }
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZoneId, out _))
        {
            Errors["timeZoneId"] = this.Say("'{0}' is not a time zone this server knows (e.g. Europe/Warsaw).", TimeZoneId);
        }
        if (!Cultures.Contains(DefaultCulture))
        {
            Errors["defaultCulture"] = this.Say("The default culture must be one of {0}.", string.Join(", ", Cultures));
        }
        var chains = new JsonObject();
        foreach (var culture in Cultures)
        {
            var text = Request.Form[$"fallback.{culture}"].ToString();
            Fallback[culture] = text;
            var chain = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var unknown = chain.Where(c => !Cultures.Contains(c) || c == culture).ToList();
            if (unknown.Count > 0)
            {
                Errors[$"fallback.{culture}"] = this.Say("Fallbacks of {0} may name only other cultures of the site ({1}), not {2}.", culture,
                    string.Join(", ", Cultures.Where(c => c != culture)), string.Join(", ", unknown));
            }
            chains[culture] = new JsonArray(chain.Distinct(StringComparer.Ordinal).Select(c => (JsonNode?)c).ToArray());
        }
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        IReadOnlyList<string> changed;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            changed = await settings.MergeAsync(new JsonObject
            {
                ["SiteName"] = SiteName,
                ["TimeZoneId"] = TimeZoneId,
                ["Localization"] = new JsonObject { ["DefaultCulture"] = DefaultCulture, ["Fallback"] = chains },
            }, cancellationToken);
            if (changed.Count > 0)
            {
                await audit.WriteAsync("settings.update", "site", string.Join(", ", changed), cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        Message = changed.Count == 0 ? this.Say("Nothing changed.") : this.Say("Saved ({0}). The app sees the change within seconds.", string.Join(", ", changed));
        return RedirectToPage();
    }
}
