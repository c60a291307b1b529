using System.Security.Claims;
using Embassy.Content.Services;
using Embassy.Core;

namespace Embassy.Admin;

/// <summary>The CMI's view of a user's content rights, as the queries apply them.</summary>
public static class EditorScopes
{
    public static EditorScope For(ClaimsPrincipal user, IEnumerable<string> types)
    {
        var all = new List<string>();
        var own = new List<string>();
        foreach (var type in types)
        {
            if (Permissions.Can(user, Permissions.EditContent, type))
            {
                all.Add(type);
            }
            else if (Permissions.Can(user, Permissions.EditOwnContent, type))
            {
                own.Add(type);
            }
        }
        return new EditorScope(all, own, Permissions.UserId(user));
    }
}
