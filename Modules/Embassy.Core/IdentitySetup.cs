using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Embassy.Core;

public static class IdentitySetup
{
    /// <summary>Users and roles in the application database (ASP.NET Core Identity), with the house password rules.</summary>
    public static IHostApplicationBuilder AddEmbassyIdentity(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddIdentityCore<IdentityUser>(o =>
            {
                o.Password.RequiredLength = 12;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = true;
                o.Password.RequireLowercase = true;
                o.Password.RequireDigit = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.User.RequireUniqueEmail = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<EmbassyDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders() // password resets and the other default providers
            // The authenticator's codes, each accepted once (RFC 6238 §5.2), in place of Identity's provider of that name.
            .AddTokenProvider<OnceAuthenticatorTokenProvider>(TokenOptions.DefaultAuthenticatorProvider);
        // Cookies, antiforgery tokens and two-factor sign-in state are protected with keys kept in the database (which
        // replicates): editors stay signed in across restarts and across a failover.
        builder.Services.AddDataProtection().SetApplicationName("Embassy.Cms");
        // Each key's secret is encrypted with a key from a file outside the database (Embassy:DataProtectionKeyFile).
        builder.Services.AddSingleton(services => DataProtectionKeyFile.Open(services.GetRequiredService<Microsoft.Extensions.Options.IOptions<EmbassyOptions>>().Value));
        builder.Services.AddSingleton<DatabaseXmlRepository>();
        builder.Services.AddOptions<KeyManagementOptions>().Configure<DatabaseXmlRepository, DataProtectionKeyFile>((keys, repository, file) =>
        {
            keys.XmlRepository = repository;
            keys.XmlEncryptor = file.Present ? new KeyFileXmlEncryptor(file) : null; // a standby without the file: keys it makes are not stored anyway
        });
        builder.Services.AddScoped<CurrentActor>();
        builder.Services.AddScoped<UserRights>();
        return builder;
    }
}
