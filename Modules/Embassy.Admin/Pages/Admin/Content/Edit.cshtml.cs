using System.Text.Json.Nodes;
using Embassy.Admin.Editing;
using Embassy.Content.Models;
using Embassy.Content.Services;
using Embassy.Core;
using Embassy.Media.Services;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.Admin.Pages.Admin.Content;

/// <summary>An editor form generated from the type's definition: save a draft, publish, unpublish, delete.</summary>
[Authorize(Policy = Permissions.EditOwnContent)]
public sealed class EditModel(ContentManager content, EditorQueries queries) : PageModel
{
    public string Id { get; private set; } = "new";

    /// <summary>Whether the item's type pushes to phones (its PushNotificationSettings), and the item's push if it had one.</summary>
    public bool PushEnabled { get; private set; }

    public Embassy.Notifications.Data.PushMessageRecord? Push { get; private set; }

    public bool PushConfigured => HttpContext.RequestServices.GetRequiredService<Embassy.Notifications.Push.FcmClient>().Configured;

    public string TypeName { get; private set; } = "";

    public string Title { get; private set; } = "";

    public string Status { get; private set; } = "";

    public bool IsPublished { get; private set; }

    public IReadOnlyList<EditorInput> Inputs { get; private set; } = [];

    public IReadOnlyList<ContentVersionSummary> Versions { get; private set; } = [];

    /// <summary>Culture → id of the item's translations (itself included); cultures without one can be created.</summary>
    public IReadOnlyDictionary<string, string> Translations { get; private set; } = new Dictionary<string, string>();

    /// <summary>The other cultures' versions of this item (their latest), field by field, shown beside the form.</summary>
    public IReadOnlyList<(string Culture, string Id, IReadOnlyDictionary<string, string> Values, bool Editable)> OtherVersions { get; private set; } = [];

    /// <summary>A translation of this item was edited since it last was.</summary>
    public bool Outdated { get; private set; }

    public string? Culture { get; private set; }

    /// <summary>What the app will receive for this version once published (the mobile API's own JSON writer).</summary>
    public string? Preview { get; private set; }

    public Dictionary<string, string> Values { get; private set; } = [];

    public EditorErrors Errors { get; } = new();

    /// <summary>The form's messages speak the editor's language.</summary>
    public override void OnPageHandlerSelected(Microsoft.AspNetCore.Mvc.Filters.PageHandlerSelectedContext context)
    {
        Errors.Say = Say;
        Errors.Core = HttpContext.RequestServices.GetRequiredService<Embassy.Admin.Localization.CmiText>().CoreMessage;
        base.OnPageHandlerSelected(context);
    }

    /// <summary>What a content picker offers: input name → the items to choose from.</summary>
    public Dictionary<string, IReadOnlyList<SelectListItem>> PickerOptions { get; } = new(StringComparer.Ordinal);

    /// <summary>The version compared with the latest (?compare=versionId), and what changed.</summary>
    public ContentVersionSummary? Compared { get; private set; }

    public IReadOnlyList<DiffLine> Diff { get; private set; } = [];

    public bool CanPublish { get; private set; }

    /// <summary>Whether this user may open the media library (Authors may not: the editor does not send them there).</summary>
    public bool CanManageMedia => Permissions.Holds(User, Permissions.ManageMedia);

    /// <summary>The revision the form started from (sent back on save: a save over a newer one is refused).</summary>
    public string? Revision { get; private set; }

    /// <summary>After a refused save: each input whose saved value differs from the one posted (label, theirs, yours).</summary>
    public IReadOnlyList<(string Label, string Theirs, string Yours)> Conflicts { get; private set; } = [];

    public bool CanDelete { get; private set; }

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(string id, string? type, string? compare, CancellationToken cancellationToken)
    {
        var item = id == "new" ? null : await content.GetLatestAsync(id, cancellationToken);
        if (!await LoadAsync(id, item?.ContentType ?? type, item, cancellationToken))
        {
            return NotFound();
        }
        Values = EditorForm.Values(Inputs, item?.Content);
        Revision = item?.Revision;
        await LoadPickersAsync(cancellationToken);
        if (item is not null && compare is not null && Versions.FirstOrDefault(v => v.ContentItemVersionId == compare) is { } compared
            && await content.GetVersionAsync(compare, cancellationToken) is { } old)
        {
            Compared = compared;
            Diff = VersionDiff.Compare(old.Content, item.Content, Inputs);
        }
        if (item is null && Inputs.Any(i => i.Name == "LocalizationPart.Culture"))
        {
            Values["LocalizationPart.Culture"] = "pl";
        }
        return Page();
    }

    public Task<IActionResult> OnPostSaveAsync(string id, string? type, CancellationToken cancellationToken) =>
        SaveAsync(id, type, publish: false, cancellationToken);

    public Task<IActionResult> OnPostPublishAsync(string id, string? type, CancellationToken cancellationToken) =>
        SaveAsync(id, type, publish: true, cancellationToken);

    public async Task<IActionResult> OnPostUnpublishAsync(string id, CancellationToken cancellationToken)
    {
        var item = await EditableAsync(id, cancellationToken);
        if (item is null)
        {
            return NotFound();
        }
        if (!Permissions.Can(User, Permissions.PublishContent, item.ContentType))
        {
            return Forbid();
        }
        await content.UnpublishAsync(id, cancellationToken);
        Message = Say("Unpublished: the app no longer shows it.");
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostDeleteAsync(string id, bool confirmDelete, CancellationToken cancellationToken)
    {
        var item = await EditableAsync(id, cancellationToken);
        if (item is null)
        {
            return NotFound();
        }
        if (!Permissions.Can(User, Permissions.DeleteContent, item.ContentType))
        {
            return Forbid();
        }
        if (!confirmDelete)
        {
            Message = Say("Tick \"yes, delete\" to confirm the deletion.");
            return RedirectToPage(new { id });
        }
        await content.DeleteAsync(id, cancellationToken);
        return Redirect($"/admin/content/{item.ContentType}");
    }

    /// <summary>Creates the counterpart in the other culture: a draft in the same localization set, with the same fields to translate.</summary>
    public async Task<IActionResult> OnPostTranslateAsync(string id, string culture, CancellationToken cancellationToken)
    {
        var item = await EditableAsync(id, cancellationToken);
        if (item is null || culture is not ("pl" or "en") || item.Culture == culture)
        {
            return NotFound();
        }
        // Items made here or through the content core have a localization set from the start: the original is not
        // touched (no new version, nothing republished, so no second notification to phones).
        var set = item.LocalizationSet;
        string? note = null;
        if (set is null)
        {
            // Only an item imported without one: it joins a new set in a draft, which the editor publishes when ready.
            set = Embassy.Core.IdGenerator.NewId();
            var original = (JsonObject)item.Content.DeepClone();
            original["LocalizationPart"] = new JsonObject { ["Culture"] = item.Culture ?? "pl", ["LocalizationSet"] = set };
            await content.UpdateDraftAsync(item.ContentItemId, original, User.Identity?.Name, cancellationToken);
            note = " The original had no translation link yet: it is in a new draft of it, which links the two once published.";
        }
        var existing = await queries.TranslationsAsync(set, cancellationToken);
        if (existing.TryGetValue(culture, out var already))
        {
            return RedirectToPage(new { id = already });
        }
        var copy = (JsonObject)item.Content.DeepClone();
        copy["LocalizationPart"] = new JsonObject { ["Culture"] = culture, ["LocalizationSet"] = set };
        var translation = await content.CreateAsync(new NewContentItem(item.ContentType, copy)
        {
            Owner = Permissions.UserId(User), Author = User.Identity?.Name,
        }, cancellationToken);
        await HttpContext.RequestServices.GetRequiredService<TranslationSteps>().MarkUntranslatedAsync(translation.ContentItemId, cancellationToken);
        Message = Say("Translation ({0}) created as a draft: translate the fields, then publish.", culture) + (note is null ? "" : " " + Say(note.Trim()));
        return RedirectToPage(new { id = translation.ContentItemId });
    }

    /// <summary>Makes an old version the new draft (history is kept).</summary>
    public async Task<IActionResult> OnPostRestoreAsync(string id, string versionId, CancellationToken cancellationToken)
    {
        var item = await EditableAsync(id, cancellationToken);
        if (item is null)
        {
            return NotFound();
        }
        var restored = await content.RestoreVersionAsync(id, versionId, User.Identity?.Name, cancellationToken);
        if (restored is null)
        {
            return NotFound();
        }
        Message = Say("That version is now the draft: publish it to make it live.");
        return RedirectToPage(new { id });
    }

    private async Task<IActionResult> SaveAsync(string id, string? type, bool publish, CancellationToken cancellationToken)
    {
        var item = id == "new" ? null : await content.GetLatestAsync(id, cancellationToken);
        if (!await LoadAsync(id, item?.ContentType ?? type, item, cancellationToken))
        {
            return NotFound();
        }
        if (publish && !CanPublish)
        {
            return Forbid();
        }
        var parts = EditorForm.Content(Inputs, Request.Form, item?.Content, Errors);
        if (publish && Inputs.Any(i => i.Name == "TitlePart.Title") && string.IsNullOrWhiteSpace(Request.Form["TitlePart.Title"]))
        {
            Errors.Add("TitlePart.Title", Say("A title is required to publish.")); // the content core refuses it too
        }
        var startedFrom = Request.Form["revision"].ToString();
        if (Errors.Count == 0)
        {
            try
            {
                var saved = item is null
                    ? await content.CreateAsync(new NewContentItem(TypeName, parts) { Owner = Permissions.UserId(User), Author = User.Identity?.Name }, cancellationToken)
                    : startedFrom.Length > 0
                        ? await content.UpdateDraftAsync(item.ContentItemId, parts, User.Identity?.Name, startedFrom, cancellationToken)
                        : await content.UpdateDraftAsync(item.ContentItemId, parts, User.Identity?.Name, cancellationToken);
                if (publish)
                {
                    await content.PublishAsync(saved!.ContentItemId, cancellationToken);
                }
                var notices = publish
                    ? ContentItemValidator.PublishProblems(TypeName, parts, await content.LoadDefinitionsAsync(cancellationToken), notices: true)
                    : [];
                Message = Say(publish ? "Published: the app shows it within seconds." : "Draft saved.") +
                    (notices.Count > 0 ? " " + Say("Please check:") + " " + string.Join("; ", notices.Select(Errors.Core)) + "." : "");
                return RedirectToPage(new { id = saved!.ContentItemId });
            }
            catch (ContentValidationException ex)
            {
                Errors.AddFromStore(ex.Errors, Inputs);
            }
            catch (ContentConflictException ex) when (ex.Current is { } current)
            {
                // Someone saved it since this form was opened: nothing is written; show what differs. The form now
                // starts from their revision, so saving again replaces theirs with this one, knowingly.
                var theirs = EditorForm.Values(Inputs, current.Content);
                var yours = EditorForm.Values(Inputs, parts);
                Conflicts = Inputs.Where(i => theirs.GetValueOrDefault(i.Name, "") != yours.GetValueOrDefault(i.Name, ""))
                    .Select(i => (i.Label, theirs.GetValueOrDefault(i.Name, ""), yours.GetValueOrDefault(i.Name, ""))).ToList();
                var time = SiteTime.Of(HttpContext);
                Errors.Add("", Say("{0} saved this item at {1} ({2}), after you opened it. Nothing of yours was saved. What differs is listed below: keep your text and save again to replace theirs, or reload to start from theirs.",
                    current.Author ?? Say("Someone"), time.Show(current.ModifiedUtc), time.Name));
                Revision = current.Revision;
                Response.StatusCode = StatusCodes.Status409Conflict;
            }
        }
        Values = EditorForm.Values(Inputs, parts);
        foreach (var bag in Inputs.Where(i => i.Kind == "bag"))
        {
            Values[bag.Name] = Request.Form[bag.Name].ToString(); // what the editor typed, even when it does not parse
        }
        await LoadPickersAsync(cancellationToken);
        if (Response.StatusCode != StatusCodes.Status409Conflict)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            Revision = item?.Revision;
        }
        return Page();
    }

    private async Task<bool> LoadAsync(string id, string? type, ContentItem? item, CancellationToken cancellationToken)
    {
        if (type is null || (id != "new" && item is null))
        {
            return false;
        }
        if (item is not null ? !Permissions.CanEdit(User, item.ContentType, item.Owner) : !Permissions.Can(User, Permissions.EditOwnContent, type))
        {
            return false; // an Author sees only their own items, and only of the types they may edit
        }
        var definitions = await content.LoadDefinitionsAsync(cancellationToken);
        if (!definitions.Types.TryGetValue(type, out var definition))
        {
            return false;
        }
        _typeNames = definitions.Types.Keys.ToList();
        Id = id;
        TypeName = definition.Name;
        Title = item?.DisplayText is { Length: > 0 } text ? text : Say("New {0}", Say(definition.DisplayName));
        IsPublished = item is not null && await content.GetPublishedAsync(item.ContentItemId, cancellationToken) is not null;
        Status = item is null ? "" : IsPublished ? (item.Published ? "published" : "published, draft pending") : "draft";
        CanPublish = Permissions.Can(User, Permissions.PublishContent, definition.Name);
        // Scheduling is publishing later: the form offers it only to those who may publish (the core checks it too).
        Inputs = EditorForm.Inputs(definition, definitions.Parts, HttpContext.RequestServices.GetRequiredService<FieldEditors>(), await SiteTime.ForAsync(HttpContext)).Where(i => CanPublish || i.Kind != "schedule").ToList();
        CanDelete = Permissions.Can(User, Permissions.DeleteContent, definition.Name);
        if (item is not null)
        {
            Versions = await content.ListVersionsAsync(item.ContentItemId, cancellationToken);
            var schema = await HttpContext.RequestServices.GetRequiredService<Embassy.MobileApi.Json.ApiSchemaProvider>().GetAsync(cancellationToken);
            Preview = Embassy.MobileApi.Json.ItemJson.Preview(item, schema);
            Culture = item.Culture;
            Translations = item.LocalizationSet is null
                ? new Dictionary<string, string> { [item.Culture ?? "pl"] = item.ContentItemId }
                : await queries.TranslationsAsync(item.LocalizationSet, cancellationToken);
            var others = new List<(string, string, IReadOnlyDictionary<string, string>, bool)>();
            foreach (var (culture, otherId) in Translations.Where(t => t.Value != item.ContentItemId).OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                // Another culture's latest version only to someone who may edit it (an Author's colleague's draft stays
                // theirs); to anyone else its published version, which the app shows anyway, or nothing.
                if (await EditableAsync(otherId, cancellationToken) is { } other)
                {
                    others.Add((culture, otherId, EditorForm.Values(Inputs, other.Content), true));
                }
                else if (await content.GetPublishedAsync(otherId, cancellationToken) is { } published)
                {
                    others.Add((culture, otherId, EditorForm.Values(Inputs, published.Content), false));
                }
            }
            OtherVersions = others;
            PushEnabled = Embassy.Notifications.Push.PushSettings.Of(definition.Settings) is not null;
            if (PushEnabled)
            {
                Push = await HttpContext.RequestServices.GetRequiredService<Embassy.Notifications.NotificationLog>().PushOfAsync(item.ContentItemId, cancellationToken);
            }
            Outdated = (await queries.OutdatedAsync([item.ContentItemId], cancellationToken)).Count > 0;
        }
        return true;
    }

    /// <summary>The item's latest version if this user may edit it; null when there is none or it is not theirs (both answer 404).</summary>
    private async Task<ContentItem?> EditableAsync(string id, CancellationToken cancellationToken) =>
        await content.GetLatestAsync(id, cancellationToken) is { } item && Permissions.CanEdit(User, item.ContentType, item.Owner) ? item : null;

    /// <summary>Every content type's name, as LoadAsync read the definitions (a picker offering every type is scoped by them).</summary>
    private IReadOnlyList<string> _typeNames = [];

    /// <summary>The library's pictures, for the HTML editor's "picture from the library" (when the form has an HTML field).</summary>
    public IReadOnlyList<string> LibraryImages { get; private set; } = [];

    private async Task LoadPickersAsync(CancellationToken cancellationToken)
    {
        if (Inputs.Any(i => i.Kind == "html"))
        {
            var images = Embassy.Media.Images.ImageCommand.Transformable;
            LibraryImages = (await HttpContext.RequestServices.GetRequiredService<MediaStore>().Listing(folder: null, includePackaged: false)
                    .Where(m => m.ContentType.StartsWith("image/")).Select(m => m.Path).Take(2000).ToListAsync(cancellationToken))
                .Where(p => images.Contains(Path.GetExtension(p))).ToList();
        }
        if (Inputs.Any(i => i.Kind == "media"))
        {
            var files = await HttpContext.RequestServices.GetRequiredService<MediaStore>().Listing(folder: null, includePackaged: false)
                .Select(m => m.Path).Take(2000).ToListAsync(cancellationToken);
            var known = files.ToHashSet(StringComparer.Ordinal);
            foreach (var input in Inputs.Where(i => i.Kind == "media"))
            {
                // Only the kinds of file the field takes (a video is not offered as a news picture).
                var offered = files.Where(f => input.Extensions.Count == 0 || input.Extensions.Contains(Path.GetExtension(f).ToLowerInvariant())).ToList();
                PickerOptions[input.Name] = Choices(input, offered.ToHashSet(StringComparer.Ordinal), offered.Select(f => (f, f)), "not in the library");
            }
        }
        foreach (var input in Inputs.Where(i => i.Kind == "items"))
        {
            var offered = await queries.PickableAsync(input.Types, EditorScopes.For(User, input.Types.Count > 0 ? input.Types : _typeNames), cancellationToken);
            PickerOptions[input.Name] = Choices(input, offered.Select(o => o.Id).ToHashSet(StringComparer.Ordinal),
                offered.Where(o => o.Id != Id).Select(o => (o.Id, $"{o.Title} ({o.Type}{(o.Culture is null ? "" : ", " + o.Culture)})")), "not found");
        }
    }

    /// <summary>A picker's options, selected where the input's value names them. A value no longer offered (deleted,
    /// or beyond the list) stays selected, with <paramref name="missing"/> after it, so that saving does not drop it.</summary>
    private List<SelectListItem> Choices(EditorInput input, HashSet<string> known, IEnumerable<(string Value, string Text)> shown, string missing)
    {
        var chosen = Values.GetValueOrDefault(input.Name, "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var options = shown.Select(o => new SelectListItem(o.Text, o.Value, chosen.Contains(o.Value))).ToList();
        options.AddRange(chosen.Where(c => !known.Contains(c)).Select(c => new SelectListItem($"{c} ({missing})", c, true)));
        return options;
    }

    /// <summary>A message in the editor's language (Localization/pl.po).</summary>
    private string Say(string text, params object?[] arguments) =>
        HttpContext.RequestServices.GetRequiredService<Embassy.Admin.Localization.CmiText>()[text, arguments];
}
