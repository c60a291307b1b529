using Embassy.Admin;
using Embassy.Cluster;
using Embassy.Cms.Hosting;
using Embassy.Content;
using Embassy.Core;
using Embassy.Data;
using Embassy.Media;
using Embassy.Notifications;
using Embassy.MobileApi;
using Embassy.Recipes;
using Embassy.Search;
using Embassy.Video;

namespace Embassy.Cms;

/// <summary>
/// The module list, in one place: the server (Program) and the tests' sites (TestSite, the content core alone) both
/// build from here. The EF design-time factories list the modules that own tables; the migrations test
/// (MigrationTests) fails when a module's tables are missing from them.
/// </summary>
public static class EmbassyModules
{
    /// <summary>The content core: data, identity, recipes, content, media and video (no HTTP surface).</summary>
    public static IHostApplicationBuilder AddContentCore(this IHostApplicationBuilder builder)
    {
        builder.AddEmbassyCore();
        builder.AddEmbassyDatabase();
        builder.AddEmbassyIdentity();
        builder.AddRecipesModule();
        builder.AddContentModule();
        builder.AddMediaModule();
        builder.AddVideoModule();
        builder.AddNotificationsModule(); // after the content module: its outbox handler follows the change feed's
        return builder;
    }

    /// <summary>The whole server: its role's configuration, the content core, the mobile API, the CMI, the cluster
    /// and the host's own services (setup, TLS, proxies).</summary>
    public static WebApplicationBuilder AddEmbassyServer(this WebApplicationBuilder builder)
    {
        builder.AddRoleConfiguration();
        builder.AddContentCore();
        builder.AddSearchModule();
        builder.AddMobileApiModule();
        builder.AddAdminModule();
        builder.AddClusterModule();
        builder.AddHostServices();
        builder.AddTls();
        builder.AddProxy();
        return builder;
    }
}
