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

namespace Embassy.Admin.Pages.Admin;

/// <summary>The media library: files by folder, uploads with progress (media.js), video status, delete with a warning when content uses the file.</summary>
[Authorize(Policy = Permissions.ManageMedia)]
public sealed class MediaModel(MediaStore store, VideoCatalog videos, EditorQueries queries, MediaDeletion deletion) : PageModel
{
    [FromQuery(Name = "folder")]
    public string? Folder { get; set; }

    public IReadOnlyList<MediaFileRecord> Files { get; private set; } = [];

    public IReadOnlyDictionary<string, VideoInfo> Videos { get; private set; } = new Dictionary<string, VideoInfo>();

    [TempData]
    public string? Message { get; set; }

    [TempData]
    public string? ConfirmPath { get; set; }

    /// <summary>A 100×100 derivative (shown at 50 px, sharp on high-density screens) from the image pipeline; null for other files.</summary>
    public static string? Thumbnail(string path) =>
        Embassy.Media.Images.ImageCommand.Transformable.Contains(Path.GetExtension(path)) ? MediaPath.Url(path) + "?width=100&height=100&format=auto" : null;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
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
            return RedirectToPage();
        }
        if (!await deletion.DeleteAsync(path, cancellationToken))
        {
            return NotFound();
        }
        Message = this.Say("'{0}' deleted.", path);
        return RedirectToPage();
    }
}
