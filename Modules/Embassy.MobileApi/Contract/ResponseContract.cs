using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Embassy.MobileApi.Caching;
using Embassy.Video.Services;
using Microsoft.Extensions.Options;

namespace Embassy.MobileApi.Contract;

/// <summary>Changes to the responses' metadata, applied where it is made: what they serialize and what the document
/// says come from it, so a change here reaches both (the tests add a made-up field this way).</summary>
public sealed class ResponseContractOptions
{
    public IList<Action<JsonTypeInfo>> Modifiers { get; } = [];
}

/// <summary>
/// The /api/v1 responses as types (<see cref="SyncPage"/>, <see cref="ListPage"/>, <see cref="SearchPage"/>, the types
/// and cultures documents, <see cref="PublicVideoInfo"/>, <see cref="Problem"/>): one metadata, generated at build time,
/// writes each body and makes its OpenAPI schema (System.Text.Json's schema exporter, with the records' descriptions),
/// and the tests check every response against that schema. Adding a field to a response is one change: its record.
/// </summary>
public sealed class ResponseContract
{
    /// <summary>The response types, each a schema of the document's components.</summary>
    public static IReadOnlyList<Type> ResponseTypes { get; } =
        [typeof(SyncPage), typeof(ListPage), typeof(SearchPage), typeof(TypesDocument), typeof(CulturesDocument), typeof(PublicVideoInfo), typeof(Problem)];

    public static ResponseContract Default { get; } = new(Options.Create(new ResponseContractOptions()));

    public ResponseContract(IOptions<ResponseContractOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        IJsonTypeInfoResolver resolver = ApiJsonContext.Default;
        foreach (var modifier in options.Value.Modifiers)
        {
            resolver = resolver.WithAddedModifier(modifier);
        }
        SerializerOptions = new JsonSerializerOptions(ApiJsonContext.Default.Options) { TypeInfoResolver = resolver };
        SerializerOptions.MakeReadOnly();
    }

    public JsonSerializerOptions SerializerOptions { get; }

    /// <summary>A response body, written once; its bytes (and their hash, the ETag) are then served as they are.</summary>
    public CachedResponse Write<T>(T body, string? contentLanguage, string cacheControl)
    {
        var info = (JsonTypeInfo<T>)SerializerOptions.GetTypeInfo(typeof(T));
        return Endpoints.Responses.Write(w => JsonSerializer.Serialize(w, body, info), contentLanguage, cacheControl);
    }

    /// <summary>The schema's name in the document: the type's, or its <see cref="ApiSchemaAttribute"/>'s.</summary>
    public static string SchemaName(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        // The video catalog's record lives in Embassy.Video, which knows nothing of the API's attributes.
        return type == typeof(PublicVideoInfo) ? "Video" : type.GetCustomAttribute<ApiSchemaAttribute>()?.Name ?? type.Name;
    }

    /// <summary>Every response type's schema and those of the records they hold, by name; a record held in another is a
    /// <c>$ref</c> to its own.</summary>
    public JsonObject Schemas()
    {
        var schemas = new JsonObject();
        foreach (var type in Named)
        {
            schemas[SchemaName(type)] = JsonSchemaExporter.GetJsonSchemaAsNode(SerializerOptions.GetTypeInfo(type), Exporter);
        }
        return schemas;
    }

    private static readonly JsonSchemaExporterOptions Exporter = new() { TreatNullObliviousAsNonNullable = true, TransformSchemaNode = Transform };

    /// <summary>The response types and the records they hold: each has its schema in the document.</summary>
    private static readonly IReadOnlyList<Type> Named = [.. ResponseTypes, typeof(Tombstone), typeof(SearchHit), typeof(Highlight),
        typeof(ContentTypeInfo), typeof(ContentFieldInfo), typeof(FieldOption), typeof(CultureEntry)];

    private static JsonNode Transform(JsonSchemaExporterContext context, JsonNode node)
    {
        var type = context.TypeInfo.Type;
        if (context.PropertyInfo is null && context.Path.Length > 0 && Named.Contains(type))
        {
            return new JsonObject { ["$ref"] = "#/components/schemas/" + SchemaName(type) };
        }
        // A schema that allows anything (a custom converter's, as ItemsWriter's) is `true`: made an object to describe.
        var schema = node as JsonObject ?? new JsonObject();
        if (context.PropertyInfo is null && context.Path.Length == 0)
        {
            schema["type"] = "object";
            Describe(schema, type.GetCustomAttribute<DescriptionAttribute>()?.Description);
            // What is left out when null is not always there, and is never null when it is.
            var optional = context.TypeInfo.Properties.Where(OmittedWhenNull).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            if (schema["required"] is JsonArray required)
            {
                foreach (var name in required.Where(r => optional.Contains((string)r!)).ToList())
                {
                    required.Remove(name);
                }
            }
            if (schema.Remove("properties", out var properties))
            {
                schema["properties"] = properties; // after "required", as the rest of the document has it
            }
            return schema;
        }
        if (context.PropertyInfo is not { } property)
        {
            return node;
        }
        var attributes = property.AttributeProvider?.GetCustomAttributes(inherit: true) ?? [];
        if (attributes.OfType<ApiItemsAttribute>().FirstOrDefault() is { } items)
        {
            schema = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["$ref"] = "#/components/schemas/" + items.Schema } };
        }
        if (OmittedWhenNull(property) && schema["type"] is JsonArray types)
        {
            schema["type"] = (string?)types.First(t => (string?)t != "null");
        }
        if ((Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType) == typeof(long))
        {
            schema["format"] = "int64";
        }
        foreach (var attribute in attributes)
        {
            switch (attribute)
            {
                case ApiFormatAttribute format:
                    schema["format"] = format.Format;
                    break;
                case ApiEnumAttribute values:
                    schema["enum"] = new JsonArray([.. values.Values.Select(v => (JsonNode)v)]);
                    break;
                case RangeAttribute range:
                    schema["minimum"] = Convert.ToInt32(range.Minimum, System.Globalization.CultureInfo.InvariantCulture);
                    if (!Equals(range.Maximum, int.MaxValue))
                    {
                        schema["maximum"] = Convert.ToInt32(range.Maximum, System.Globalization.CultureInfo.InvariantCulture);
                    }
                    break;
            }
        }
        Describe(schema, attributes.OfType<DescriptionAttribute>().FirstOrDefault()?.Description);
        return schema;
    }

    private static bool OmittedWhenNull(JsonPropertyInfo property) =>
        property.AttributeProvider?.GetCustomAttributes(typeof(JsonIgnoreAttribute), inherit: true).OfType<JsonIgnoreAttribute>()
            .Any(a => a.Condition == JsonIgnoreCondition.WhenWritingNull) == true;

    private static void Describe(JsonObject schema, string? description)
    {
        if (description is not null)
        {
            schema["description"] = description;
        }
    }
}
