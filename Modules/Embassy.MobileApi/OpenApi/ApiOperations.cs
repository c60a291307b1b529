namespace Embassy.MobileApi.OpenApi;

/// <summary>
/// The query parameters a route of /api/v1 takes. The same list declares them in the OpenAPI document and refuses any
/// other with a 400 (a client that sends <c>?next=</c> instead of <c>?cursor=</c> hears so at once instead of getting
/// the first page again for ever).
/// </summary>
public sealed record ApiQuery(params string[] Names)
{
    public static readonly ApiQuery List = new("culture", "limit", "cursor", "order", "upcoming", "active", "fields", "richText", "preview");
    public static readonly ApiQuery Item = new("culture", "fields", "richText", "preview");
    public static readonly ApiQuery ByPath = new("path", "culture", "fields", "richText", "preview");
    public static readonly ApiQuery Sync = new("types", "culture", "limit", "cursor", "token", "richText");
    public static readonly ApiQuery Search = new("q", "culture", "types", "limit", "cursor");
    public static readonly ApiQuery None = new();

    /// <summary>The first query parameter the route does not take, with a hint when it is a known mistake.</summary>
    public string? Unknown(Microsoft.AspNetCore.Http.IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        foreach (var key in query.Keys)
        {
            if (!Names.Contains(key, StringComparer.Ordinal))
            {
                var name = key.Length > 40 ? key[..40] + "…" : key;
                var hint = key == "next" && Names.Contains("cursor") ? " A page's next value is sent back as cursor." : "";
                return Names.Length == 0
                    ? $"'{name}' is not a parameter: this route takes none."
                    : $"'{name}' is not a parameter of this route (it takes {string.Join(", ", Names)}).{hint}";
            }
        }
        return null;
    }
}
