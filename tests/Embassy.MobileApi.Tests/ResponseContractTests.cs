using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Embassy.MobileApi.Contract;
using Embassy.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.MobileApi.Tests;

/// <summary>
/// One type per response (<see cref="ResponseContract"/>): the record that describes a response writes it and makes its
/// schema in the OpenAPI document, and the contract check holds every response to that schema. A field added in that
/// one place (here through the contract's metadata, as a new record property would be) is in all three.
/// </summary>
public sealed class ResponseContractTests
{
    private static void AddMadeUpField(JsonTypeInfo info)
    {
        if (info.Type != typeof(SyncPage))
        {
            return;
        }
        var field = info.CreateJsonPropertyInfo(typeof(string), "madeUp");
        field.Get = page => "made up for " + ((SyncPage)page).Mode;
        field.Set = (_, _) => { }; // a required property must be settable (responses are never read)
        field.IsRequired = true;
        field.IsGetNullable = false;
        info.Properties.Add(field);
    }

    [Fact]
    public async Task AFieldAddedToAResponsesType_IsInItsJson_ItsSchema_AndTheContractCheck()
    {
        static Action<IWebHostBuilder> WithTheField() => b => b.ConfigureServices(s =>
            s.Configure<ResponseContractOptions>(o => o.Modifiers.Add(AddMadeUpField)));

        await using var app = await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite);
        await using (var changed = app.WithWebHostBuilder(WithTheField()))
        {
            var client = changed.CreateClient();
            var sync = JsonNode.Parse(await client.GetStringAsync("/api/v1/sync"))!.AsObject();
            Assert.Equal("made up for initial", (string?)sync["madeUp"]);
            var schema = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!["components"]!["schemas"]!["SyncPage"]!;
            Assert.Contains("\"string\"", schema["properties"]!["madeUp"]!["type"]!.ToJsonString(), StringComparison.Ordinal);
            Assert.Contains("madeUp", schema["required"]!.AsArray().Select(r => (string?)r));
            // The contract check read the server's document and found the response within it.
            Assert.Empty(app.Contract.TakeViolations());
        }

        // A server without the field: neither its JSON nor its document has it, and the contract check, holding its
        // document, refuses a response that has it.
        await using var plain = await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite);
        var plainClient = plain.CreateClient();
        var plainSync = JsonNode.Parse(await plainClient.GetStringAsync("/api/v1/sync"))!.AsObject();
        var plainSchema = JsonNode.Parse(await plainClient.GetStringAsync("/openapi/v1.json"))!["components"]!["schemas"]!["SyncPage"]!;
        Assert.False(plainSync.ContainsKey("madeUp"));
        Assert.Equal(plainSync.Select(p => p.Key).Order(), plainSchema["properties"]!.AsObject().Select(p => p.Key).Order());
        await using (var stale = plain.WithWebHostBuilder(WithTheField()))
        {
            Assert.Equal(200, (int)(await stale.CreateClient().GetAsync("/api/v1/sync")).StatusCode);
        }
        Assert.Contains(plain.Contract.TakeViolations(), v => v.Contains("/madeUp", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryResponseType_HasASchema_WithEachPropertyItWrites()
    {
        var contract = ResponseContract.Default;
        var schemas = contract.Schemas();
        foreach (var type in ResponseContract.ResponseTypes)
        {
            var schema = schemas[ResponseContract.SchemaName(type)]!.AsObject();
            var written = contract.SerializerOptions.GetTypeInfo(type).Properties.Select(p => p.Name).Order().ToList();
            Assert.Equal(written, schema["properties"]!.AsObject().Select(p => p.Key).Order().ToList());
            Assert.Equal("object", (string?)schema["type"]);
            Assert.False(string.IsNullOrEmpty((string?)schema["description"]), $"{type.Name} has no description");
        }
    }
}
