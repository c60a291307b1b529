using Embassy.Core;
using Embassy.Media.Data;
using Embassy.Media.Services;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Embassy.Media;

/// <summary>
/// PUT /admin/api/media/{path}: an upload. The body streams to a staging file (never whole in memory),
/// hashed on the way; then size, signature and duplicates are checked; the index row is written and the
/// file renamed into place only when all is well. A refused, failed or aborted upload leaves no file and no row.
/// </summary>
public static class MediaUploadEndpoints
{
    public sealed record MediaFileResponse(string Path, long Size, string Sha256, string ContentType, string Url, DateTime ModifiedUtc);

    public static IEndpointRouteBuilder MapMediaUploads(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup("/admin/api/media").WithTags("Admin").RequireAuthorization(Permissions.ManageMedia);
        group.MapPut("/{**path}", UploadAsync).DisableAntiforgery()
            .WithSummary("Uploads a file to path (raw body). ?overwrite=true replaces; ?allowDuplicate=true stores a copy of a file already stored elsewhere.")
            .Produces<MediaFileResponse>(StatusCodes.Status201Created).Produces<MediaFileResponse>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        group.MapDelete("/{**path}", DeleteAsync).DisableAntiforgery().WithSummary("Deletes a media file.");
        group.MapGet("", ListAsync).WithSummary("Lists media files, optionally under a folder (?folder=news).");
        return endpoints;
    }

    private static async Task<IResult> UploadAsync(string? path, HttpContext http, MediaIntake intake, EmbassyDbContext db, MediaIndexCache index,
        IAntiforgery antiforgery, ILogger<MediaStore> logger, AuditLog audit, bool overwrite = false, bool allowDuplicate = false)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Problem(StatusCodes.Status400BadRequest, "Antiforgery token missing", "Send the token from GET /admin/api/session in the X-CSRF-TOKEN header.");
        }
        var (normalized, refusal) = intake.CheckPath(path);
        if (normalized is null)
        {
            return Refused(refusal!);
        }
        var maxBytes = intake.MaxBytesFor(normalized);
        if (http.Request.ContentLength > maxBytes)
        {
            return Refused(intake.TooLarge(normalized));
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = maxBytes;
        }
        var existing = await db.Set<MediaFileRecord>().AsNoTracking().FirstOrDefaultAsync(m => m.Path == normalized, http.RequestAborted);
        if (existing is not null && !overwrite)
        {
            return Problem(StatusCodes.Status409Conflict, "A file exists at this path", $"'{normalized}' exists; add ?overwrite=true to replace it.");
        }
        var (staged, contentRefusal) = await intake.StageAsync(normalized, http.Request.Body, http.RequestAborted);
        if (staged is null)
        {
            return Refused(contentRefusal!);
        }
        var placed = false;
        try
        {
            var duplicate = await db.Set<MediaFileRecord>().AsNoTracking()
                .Where(m => m.Sha256 == staged.Sha256 && m.Path != normalized).Select(m => m.Path).FirstOrDefaultAsync(http.RequestAborted);
            if (duplicate is not null && !allowDuplicate)
            {
                return Problem(StatusCodes.Status409Conflict, "Duplicate file",
                    $"The same file is already stored at '{duplicate}'; use that path, or add ?allowDuplicate=true.", ("existingPath", duplicate));
            }
            MediaFileRecord record;
            await using (var transaction = await db.Database.BeginTransactionAsync(http.RequestAborted))
            {
                record = await intake.IndexAsync(normalized, staged, http.RequestAborted);
                await audit.WriteAsync(existing is null ? "media.upload" : "media.replace", normalized, $"{staged.Size:N0} bytes, sha256 {staged.Sha256[..12]}…", http.RequestAborted);
                await transaction.CommitAsync(http.RequestAborted);
            }
            http.RequestServices.GetRequiredService<MediaStore>().Place(staged, normalized);
            placed = true;
            index.Forget(normalized);
            Log.Uploaded(logger, normalized, staged.Size);
            var response = new MediaFileResponse(record.Path, record.Size, record.Sha256, record.ContentType, MediaPath.Url(record.Path), record.ModifiedUtc);
            return existing is null ? TypedResults.Created(response.Url, response) : TypedResults.Ok(response);
        }
        finally
        {
            if (!placed)
            {
                MediaStore.Discard(staged);
            }
        }
    }

    private static IResult Refused(MediaRefusal refusal) => refusal.Status == StatusCodes.Status400BadRequest
        ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { [refusal.Field] = [refusal.Detail] })
        : Problem(refusal.Status, refusal.Title, refusal.Detail);

    private static async Task<IResult> DeleteAsync(string? path, HttpContext http, MediaDeletion deletion, IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Problem(StatusCodes.Status400BadRequest, "Antiforgery token missing", "Send the token from GET /admin/api/session in the X-CSRF-TOKEN header.");
        }
        var normalized = MediaPath.Normalize(path, out var pathError);
        if (normalized is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["path"] = [pathError!] });
        }
        return await deletion.DeleteAsync(normalized, http.RequestAborted, http.User.Identity?.Name)
            ? TypedResults.NoContent()
            : Problem(StatusCodes.Status404NotFound, "Not found", $"There is no media file at '{normalized}'.");
    }

    private static async Task<IResult> ListAsync(MediaStore store, string? folder, CancellationToken cancellationToken)
    {
        var list = await store.Listing(folder, includePackaged: true).Take(5000)
            .Select(m => new MediaFileResponse(m.Path, m.Size, m.Sha256, m.ContentType, MediaPath.Url(m.Path), m.ModifiedUtc)).ToListAsync(cancellationToken);
        return TypedResults.Ok(list);
    }

    private static ProblemHttpResult Problem(int status, string title, string detail, (string Key, object Value)? extension = null) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail,
            extensions: extension is { } e ? new Dictionary<string, object?> { [e.Key] = e.Value } : null);
}
