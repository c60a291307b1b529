using Embassy.Admin.Localization;
using System.Globalization;
using System.Text.Json.Nodes;
using Embassy.Content.Services;
using Embassy.Core;
using Embassy.Media.Images;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Embassy.Admin.Pages.Admin.Media;

/// <summary>
/// Media profiles (Orchard's MediaProfiles, in the replicated site settings): named sizes the app asks for by name and
/// that the API lists per image. Checked as the recipe step checks them; saving tells every server's API to rebuild.
/// </summary>
[Authorize(Policy = Permissions.ManageSettings)]
public sealed class ProfilesModel(SiteSettingsStore settings, MediaProfiles profiles, EmbassyDbContext db,
    AuditLog audit) : PageModel
{
    public IReadOnlyDictionary<string, MediaProfile> Profiles { get; private set; } = new Dictionary<string, MediaProfile>();

    public List<string> Errors { get; } = [];

    /// <summary>The form's values (kept after an error).</summary>
    public Dictionary<string, string> Form { get; } = new(StringComparer.Ordinal);

    [TempData]
    public string? Message { get; set; }

    public static readonly string[] ModeChoices = ["Crop", "Pad", "BoxPad", "Max", "Min", "Stretch"];

    public static readonly (string Value, string Text)[] FormatChoices =
        [("Undefined", "WebP where the app accepts it, else the original's"), ("Jpg", "JPEG"), ("Png", "PNG"), ("WebP", "WebP")];

    public async Task OnGetAsync(string? edit, CancellationToken cancellationToken)
    {
        Profiles = MediaProfiles.Read((await settings.GetAsync(cancellationToken))[MediaProfiles.SettingsKey] as JsonObject);
        if (edit is not null && Profiles.TryGetValue(edit, out var p))
        {
            Form["name"] = p.Name;
            Form["width"] = p.Width.ToString(CultureInfo.InvariantCulture);
            Form["height"] = p.Height.ToString(CultureInfo.InvariantCulture);
            Form["mode"] = p.Mode ?? "Crop";
            Form["format"] = p.Format ?? "Undefined";
            Form["quality"] = p.Quality > 0 ? p.Quality.ToString(CultureInfo.InvariantCulture) : "";
            Form["bgcolor"] = p.BackgroundColor ?? "";
            Form["hint"] = p.Hint ?? "";
        }
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken cancellationToken)
    {
        foreach (var key in new[] { "name", "width", "height", "mode", "format", "quality", "bgcolor", "hint" })
        {
            Form[key] = Request.Form[key].ToString().Trim();
        }
        var profile = new JsonObject
        {
            ["Hint"] = Form["hint"].Length > 0 ? Form["hint"] : null,
            ["Width"] = Whole("width", this.Say("Width")),
            ["Height"] = Whole("height", this.Say("Height")),
            ["Mode"] = Form["mode"],
            ["Format"] = Form["format"],
            ["Quality"] = Form["quality"].Length > 0 ? Whole("quality", this.Say("Quality")) : 0,
            ["BackgroundColor"] = Form["bgcolor"].Length > 0 ? Form["bgcolor"] : null,
        };
        if (Form["hint"].Length > 200)
        {
            Errors.Add(this.Say("The hint may have at most 200 characters."));
        }
        if (Errors.Count == 0)
        {
            Errors.AddRange(MediaProfiles.Check(Form["name"], profile));
        }
        if (Errors.Count > 0)
        {
            Profiles = MediaProfiles.Read((await settings.GetAsync(cancellationToken))[MediaProfiles.SettingsKey] as JsonObject);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        await ChangeAsync(all => all[Form["name"]] = profile, "media-profile.save", Form["name"], cancellationToken);
        Message = this.Say("Profile '{0}' saved. The app's image URLs name it within seconds.", Form["name"]);
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostDeleteAsync(string name, CancellationToken cancellationToken)
    {
        await ChangeAsync(all => all.Remove(name), "media-profile.delete", name, cancellationToken);
        Message = this.Say("Profile '{0}' deleted: URLs naming it now answer 400.", name);
        return RedirectToPage();
    }

    private int Whole(string input, string label)
    {
        if (Form[input].Length == 0)
        {
            return 0;
        }
        if (!int.TryParse(Form[input], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            Errors.Add(this.Say("{0} must be a whole number, not '{1}'.", label, Form[input]));
        }
        return value;
    }

    private async Task ChangeAsync(Action<JsonObject> change, string action, string name, CancellationToken cancellationToken)
    {
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var document = await settings.GetAsync(cancellationToken);
            var all = document[MediaProfiles.SettingsKey] as JsonObject is { } existing ? (JsonObject)existing.DeepClone() : [];
            change(all);
            if ((await settings.MergeAsync(new JsonObject { [MediaProfiles.SettingsKey] = all }, cancellationToken)).Count > 0)
            {
                await audit.WriteAsync(action, "media-profile", name, cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        profiles.Invalidate();
    }
}
