using Embassy.Media.Data;
using Microsoft.AspNetCore.Http;

namespace Embassy.Media;

/// <summary>
/// Whether this server holds the indexed version of a file, and what to answer when it does not.
/// The master always does. A standby holds what its media sync has verified; for a file still on its
/// way it redirects to the master (or answers 503 when the master is away), never a broken stream.
/// </summary>
public interface IMediaAvailability
{
    bool IsCurrent(MediaFileRecord file, string fullPath);

    IResult NotYetHere(MediaFileRecord file, HttpContext http);
}

internal sealed class LocalMediaAvailability : IMediaAvailability
{
    public bool IsCurrent(MediaFileRecord file, string fullPath) => File.Exists(fullPath);

    public IResult NotYetHere(MediaFileRecord file, HttpContext http) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: Embassy.Core.ProblemTitles.NotFound, detail: "There is no media file at this path.");
}
