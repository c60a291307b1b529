using Embassy.Core;
using Embassy.Notifications.Data;
using Embassy.Notifications.Push;
using Embassy.Notifications.Webhooks;
using Embassy.Recipes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Embassy.Notifications;

public static class NotificationsModule
{
    /// <summary>The outbox (every server writes it with its changes), and the master's webhooks and push notifications.</summary>
    public static IHostApplicationBuilder AddNotificationsModule(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section).ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<WebhookOptions>>(sp => new ConfigurationCheck(sp.GetRequiredService<IConfiguration>()));
        builder.Services.AddOptions<PushOptions>().BindConfiguration(PushOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IModelContributor, NotificationsModel>();
        // After the change feed's handler (ContentModule): the outbox entry takes the feed's sequence.
        builder.Services.AddScoped<Embassy.Content.Events.IContentHandler, OutboxHandler>();
        builder.Services.AddScoped<WebhookEndpoints>();
        builder.Services.AddScoped<NotificationLog>();
        builder.Services.AddSingleton<WebhookSender>();
        builder.Services.AddSingleton<FcmClient>();
        builder.Services.AddHttpClient(WebhookSender.ClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => WebhookSender.CreateHandler(sp.GetRequiredService<IOptions<WebhookOptions>>().Value))
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        builder.Services.AddHttpClient(FcmClient.ClientName);
        builder.Services.AddSingleton<NotificationDispatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NotificationDispatcher>());
        builder.Services.AddRecipeStep<WebhooksStep>("Webhooks");
        return builder;
    }

    /// <summary>What is wrong with the configured endpoints (null: nothing), naming the setting.</summary>
    internal static string? ConfigurationProblems(WebhookOptions options)
    {
        for (var n = 0; n < options.Endpoints.Count; n++)
        {
            var endpoint = options.Endpoints[n];
            var problems = WebhookEndpoints.Check(WebhookEndpoints.Request(endpoint), options).ToList();
            if (WebhookSigning.Key(endpoint.Secret) is null)
            {
                problems.Add("Secret must be whsec_ followed by base64 of 16 to 64 bytes (make one with: Embassy.Cms webhooks secret).");
            }
            if (problems.Count > 0)
            {
                return $"Embassy:Webhooks:Endpoints:{n}: {string.Join(" ", problems)}";
            }
        }
        return null;
    }

    private sealed class ConfigurationCheck(IConfiguration configuration) : IValidateOptions<WebhookOptions>
    {
        public ValidateOptionsResult Validate(string? name, WebhookOptions options)
        {
            // The binder skips a list entry it cannot read (e.g. Events given as a list): such an endpoint would be
            // silently missing, so it is named instead.
            var configured = configuration.GetSection(WebhookOptions.Section + ":Endpoints").GetChildren().Select(c => c.Key).ToList();
            if (configured.Count != options.Endpoints.Count)
            {
                return ValidateOptionsResult.Fail($"Embassy:Webhooks:Endpoints: {configured.Count} configured, {options.Endpoints.Count} readable — " +
                    "an entry could not be read (Url, Secret, Description are text; Events and Types are comma-separated text, not lists).");
            }
            return ConfigurationProblems(options) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
        }
    }
}
