using Embassy.Admin.Localization;
using Embassy.Content.Services;
using Embassy.Core;
using Embassy.Media.Data;
using Embassy.Media.Services;
using Embassy.Video.Services;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.Admin.Pages.Admin;

/// <summary>The media library: files by folder, uploads with progress (media.js), video status, delete with a warning when content uses the file.</summary>
[Authorize(Policy = Permissions.ManageMedia)]
public sealed class MediaModel(MediaStore store, VideoCatalog videos, EditorQueries queries, MediaDeletion deletion, MediaTrash trash) : PageModel
{
    /// <summary>Recently deleted files, restorable until they expire (Embassy:Media:TrashDays).</summary>
    public IReadOnlyList<TrashedMedia> Trash { get; private set; } = [];

    public int TrashDays => HttpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Embassy.Media.MediaOptions>>().Value.TrashDays;

    [FromQuery(Name = "folder")]
    public string? Folder { get; set; }

    public IReadOnlyList<MediaFileRecord> Files { get; private set; } = [];

    public IReadOnlyDictionary<string, VideoInfo> Videos { get; private set; } = new Dictionary<string, VideoInfo>();

    [TempData]
    public string? Message { get; set; }

    [TempData]
    public string? ConfirmPath { get; set; }

    /// <summary>The file to confirm is used by items: its tick says "delete although used".</summary>
    [TempData]
    public bool ConfirmInUse { get; set; }

    /// <summary>A 100×100 derivative (shown at 50 px, sharp on high-density screens) from the image pipeline; null for other files.</summary>
    public static string? Thumbnail(string path) =>
        Embassy.Media.Images.ImageCommand.Transformable.Contains(Path.GetExtension(path)) ? MediaPath.Url(path) + "?width=100&height=100&format=auto" : null;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Trash = trash.List();
        Files = await store.Listing(string.IsNullOrWhiteSpace(Folder) ? null : Folder, includePackaged: false).Take(1000).ToListAsync(cancellationToken);
        Videos = (await videos.ListAsync(readyOnly: false, cancellationToken)).ToDictionary(v => v.Path, StringComparer.Ordinal);
    }

    public async Task<IActionResult> OnPostDeleteAsync(string path, bool confirm, CancellationToken cancellationToken)
    {
        // Every deletion is confirmed (a tick beside the button); a file in use says who uses it first.
        var users = await queries.UsingMediaAsync(path, cancellationToken);
        if (!confirm)
        {
            Message = users.Count > 0
                ? this.Say("'{0}' is used by: {1}. Tick \"delete although used\" to delete it anyway.", path, string.Join(", ", users))
                : this.Say("Tick \"yes, delete\" beside '{0}' to delete it.", path);
            ConfirmPath = path;
            ConfirmInUse = users.Count > 0;
            return RedirectToPage();
        }
        if (!await deletion.DeleteAsync(path, cancellationToken, User.Identity?.Name))
        {
            return NotFound();
        }
        Message = trash.Enabled ? this.Say("'{0}' deleted: it stays restorable below for {1} days.", path, TrashDays) : this.Say("'{0}' deleted.", path);
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRestoreAsync(string id, CancellationToken cancellationToken)
    {
        var (refusal, detail, entry) = await HttpContext.RequestServices.GetRequiredService<MediaRestore>().RestoreAsync(id, cancellationToken);
        Message = refusal switch
        {
            RestoreRefusal.None => this.Say("'{0}' restored.", entry!.Path),
            RestoreRefusal.PathTaken => this.Say("Another file is stored at '{0}' now: delete or rename that one first.", entry!.Path),
            RestoreRefusal.Refused => this.Say("'{0}' cannot be restored: {1}", entry!.Path, detail),
            _ => this.Say("That file is no longer in the trash."),
        };
        return RedirectToPage(new { folder = Folder });
    }
}
