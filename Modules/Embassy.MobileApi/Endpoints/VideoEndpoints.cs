using Embassy.MobileApi.Caching;
using Embassy.Video.Services;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.MobileApi.Endpoints;

/// <summary>/api/v1/videos: the video catalog. Served with content-derived ETags like the rest of the API.</summary>
internal static class VideoEndpoints
{
    public static async Task<IResult> ListAsync(HttpContext http, Contract.ResponseContract contract, CancellationToken cancellationToken)
    {
        // Video processing does not move the content head, so the catalog is read each time (one small query).
        var videos = (await http.RequestServices.GetRequiredService<VideoCatalog>().ListAsync(readyOnly: true, cancellationToken))
            .Select(v => v.ToPublic()).ToList();
        return new ApiResult(contract.Write<IReadOnlyList<PublicVideoInfo>>(videos, null, "public, max-age=15"));
    }

    public static async Task<IResult> GetAsync(string id, HttpContext http, Contract.ResponseContract contract, CancellationToken cancellationToken)
    {
        if (id.Length != 64 || !id.All(char.IsAsciiHexDigitLower))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = ["a video id is the 64 lowercase hex digits of its SHA-256."] },
                title: Embassy.Core.ProblemTitles.BadRequest);
        }
        var video = await http.RequestServices.GetRequiredService<VideoCatalog>().GetAsync(id, cancellationToken);
        return video is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: Embassy.Core.ProblemTitles.NotFound, detail: "No video has this id.")
            : new ApiResult(contract.Write(video.ToPublic(), null, "public, max-age=15"));
    }
}
