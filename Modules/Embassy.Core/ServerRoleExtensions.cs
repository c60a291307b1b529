using Microsoft.Extensions.Options;

namespace Embassy.Core;

public static class ServerRoleExtensions
{
    public static bool IsMaster(this IOptions<EmbassyOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Value.Role == ServerRole.Master;
    }
}
