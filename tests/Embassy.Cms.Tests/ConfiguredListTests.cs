using System.Net;
using Embassy.Core;
using Embassy.Media;
using Embassy.MobileApi;
using Embassy.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Embassy.Cms.Tests;

/// <summary>#31, finding 1: a list option set in configuration replaces its default in code (the binder added to it, so
/// the management networks could not be narrowed: loopback stayed allowed).</summary>
public sealed class ConfiguredListTests
{
    [Fact]
    public async Task EveryListOptionSetInConfiguration_ReplacesItsDefault_AndTheManagementNetworksCanBeNarrowed()
    {
        await using var app = await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite, new Dictionary<string, string?>
        {
            ["Embassy:Management:AllowedNetworks:0"] = "192.0.2.1/32",
            ["Embassy:Media:AllowedExtensions:0"] = ".pdf",
            ["Embassy:Media:AllowedExtensions:1"] = ".jpg",
            ["MobileApi:Cultures:0"] = "en",
            ["MobileApi:Cultures:1"] = "pl",
            ["Embassy:Media:Images:SupportedSizes:0"] = "320",
        });
        var services = app.Services;
        Assert.Equal(["192.0.2.1/32"], services.GetRequiredService<IOptions<ManagementOptions>>().Value.AllowedNetworks);
        Assert.Equal([".pdf", ".jpg"], services.GetRequiredService<IOptions<MediaOptions>>().Value.AllowedExtensions);
        Assert.Equal(["en", "pl"], services.GetRequiredService<IOptions<MobileApiOptions>>().Value.Cultures); // not pl, en, en, pl
        Assert.Equal([320], services.GetRequiredService<IOptions<Embassy.Media.Images.ImageOptions>>().Value.Sizes);

        // Loopback is no longer a management network: /metrics and the detailed readiness are closed to it.
        var local = app.CreateClient();
        local.DefaultRequestHeaders.Add(TestClientAddress.Header, "127.0.0.1");
        Assert.Equal(HttpStatusCode.NotFound, (await local.GetAsync("/metrics")).StatusCode);
        var allowed = app.CreateClient();
        allowed.DefaultRequestHeaders.Add(TestClientAddress.Header, "192.0.2.1");
        Assert.Equal(HttpStatusCode.OK, (await allowed.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public void ADictionaryOfLists_IsReplacedPerKey_AndKeysNotConfiguredKeepTheirDefault()
    {
        var options = new MobileApiOptions();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MobileApi:Fallback:pl:0"] = "de",
            ["MobileApi:Cultures:0"] = "pl",
        }).Build();
        configuration.GetSection(MobileApiOptions.Section).Bind(options); // what the binder does: appends
        Assert.Equal(["en", "de"], options.Fallback["pl"]);
        ConfiguredLists.Replace(options, configuration.GetSection(MobileApiOptions.Section));
        Assert.Equal(["de"], options.Fallback["pl"]);
        Assert.Equal(["pl"], options.Fallback["en"]);
        Assert.Equal(["pl"], options.Cultures);
    }
}
