using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Embassy.Core;

public static class EmbassyCoreModule
{
    /// <summary>Binds and validates the server's own options; relative data paths resolve under the content root.</summary>
    public static IHostApplicationBuilder AddEmbassyCore(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<EmbassyOptions>().BindConfiguration(EmbassyOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        var contentRoot = builder.Environment.ContentRootPath;
        builder.Services.PostConfigure<EmbassyOptions>(o => o.DataDirectory = Path.GetFullPath(o.DataDirectory, contentRoot));
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<EmbassyOptions>, EmbassyOptionsValidator>();
        builder.Services.AddOptions<ManagementOptions>().BindConfigurationReplacingLists(ManagementOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.AllowedNetworks.All(n => System.Net.IPNetwork.TryParse(n, out _) || System.Net.IPAddress.TryParse(n, out _)),
                "Embassy:Management:AllowedNetworks must list IP addresses or networks in CIDR form (e.g. 10.0.0.0/24).")
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DefinitionsWatch>();
        builder.Services.AddSingleton<MediaWatch>();
        builder.Services.AddSingleton<WriterStatus>();
        builder.Services.AddSingleton<ModelContributors>();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<AuditLog>();
        return builder;
    }

    private sealed class EmbassyOptionsValidator : IValidateOptions<EmbassyOptions>
    {
        public ValidateOptionsResult Validate(string? name, EmbassyOptions options) =>
            Enum.IsDefined(options.Role)
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail($"Embassy:Role must be Master or Standby, not '{options.Role}'.");
    }
}
