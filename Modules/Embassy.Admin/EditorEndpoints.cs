using Embassy.Core;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Embassy.Admin;

/// <summary>What the editor forms call from the browser: the markdown preview, and the editor script.</summary>
public static class EditorEndpoints
{
    /// <summary>Longest markdown the preview renders (a body of a few hundred pages).</summary>
    public const int MaxMarkdownBytes = 1 << 20;


    public static IEndpointRouteBuilder MapAdminEditor(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/admin/api/markdown", PreviewAsync).RequireAuthorization(Permissions.EditOwnContent).DisableAntiforgery()
            .WithTags("Admin").WithSummary("Renders markdown as the HTML an editor previews (sanitized).");
        endpoints.MapGet("/admin/assets/layout.js", () => TypedResults.Text(AdminAssets.LayoutScript, "text/javascript; charset=utf-8")).ExcludeFromDescription();
        endpoints.MapGet("/admin/assets/editor.js", () => TypedResults.Text(AdminAssets.EditorScript, "text/javascript; charset=utf-8")).ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> PreviewAsync(HttpContext http, IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Antiforgery token missing",
                detail: "Send the page's token in the X-CSRF-TOKEN header.");
        }
        if (http.Request.ContentLength > MaxMarkdownBytes)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Too long to preview",
                detail: $"The preview renders at most {MaxMarkdownBytes / 1024} KiB of markdown.");
        }
        using var reader = new StreamReader(http.Request.Body, System.Text.Encoding.UTF8);
        // One more character than allowed tells a body that is too long (it may come without a Content-Length).
        var buffer = System.Buffers.ArrayPool<char>.Shared.Rent(MaxMarkdownBytes + 1);
        string markdown;
        try
        {
            var read = await reader.ReadBlockAsync(buffer.AsMemory(0, MaxMarkdownBytes + 1), http.RequestAborted);
            if (read > MaxMarkdownBytes)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Too long to preview",
                    detail: $"The preview renders at most {MaxMarkdownBytes / 1024} KiB of markdown.");
            }
            markdown = new string(buffer, 0, read);
        }
        finally
        {
            System.Buffers.ArrayPool<char>.Shared.Return(buffer);
        }
        if (Embassy.Content.Services.ContentSafety.TooDeep(markdown, html: false) is { } deep)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Nested too deeply",
                detail: $"The markdown is {deep}; saving it would be refused too.");
        }
        // What the app will get (ContentSafety.MarkdownToHtml, the same as its rich-text blocks are made from).
        var html = Embassy.Content.Services.ContentSafety.MarkdownToHtml(markdown);
        return TypedResults.Text(html, "text/html; charset=utf-8");
    }
}
