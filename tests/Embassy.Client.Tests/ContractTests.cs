using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Embassy.Client;
using Embassy.Testing;

namespace Embassy.Client.Tests;

/// <summary>
/// The SDK's types are checked against the OpenAPI document the server publishes, so they cannot drift: every property
/// of a type is in its schema (by its JSON name), every property the schema requires is in the type, and a property the
/// schema lets be null or absent is nullable in the type.
/// </summary>
public sealed class ContractTests
{
    public static TheoryData<string, string> Types => new()
    {
        { nameof(Item), "NewsItem" },
        { nameof(ItemPage), "NewsList" },
        { nameof(SyncPage), "SyncPage" },
        { nameof(Tombstone), "Tombstone" },
        { nameof(Video), "Video" },
        { nameof(ContentType), "TypeInfo" },
        { nameof(ContentField), "FieldInfo" },
    };

    private static JsonObject? _schemas;

    private static async Task<JsonObject> SchemasAsync()
    {
        if (_schemas is null)
        {
            await using var app = await EmbassyAppFactory.CreateAsync(TestDatabase.Sqlite);
            var document = JsonNode.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json"))!;
            _schemas = document["components"]!["schemas"]!.AsObject();
        }
        return _schemas;
    }

    [Theory]
    [MemberData(nameof(Types))]
    public async Task TheSdksType_AgreesWithItsSchema(string type, string schemaName)
    {
        var schema = (await SchemasAsync())[schemaName]!.AsObject();
        var declared = schema["properties"]!.AsObject();
        var required = schema["required"]?.AsArray().Select(r => (string)r!).ToHashSet() ?? [];
        var clrType = typeof(EmbassyClient).Assembly.GetType($"Embassy.Client.{type}")!;
        var nullability = new NullabilityInfoContext();
        var properties = clrType.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.DeclaringType == clrType)
            .ToDictionary(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name));

        foreach (var (name, property) in properties)
        {
            Assert.True(declared.ContainsKey(name), $"{type}.{property.Name} is not in the {schemaName} schema");
            var mayBeMissing = !required.Contains(name) || ((declared[name]!["type"] as JsonArray)?.Any(t => (string?)t == "null") ?? false);
            var nullable = !property.PropertyType.IsValueType ? nullability.Create(property).ReadState == NullabilityState.Nullable
                : Nullable.GetUnderlyingType(property.PropertyType) is not null;
            Assert.True(!mayBeMissing || nullable || property.PropertyType == typeof(bool),
                $"{type}.{property.Name} is not nullable, but the {schemaName} schema lets it be null or absent");
        }
        foreach (var name in required.Where(r => r != "translations" || type == nameof(Item)))
        {
            Assert.True(properties.ContainsKey(name), $"the {schemaName} schema requires {name}, which {type} does not have");
        }
    }
}
