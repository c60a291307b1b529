using System.Text.Json;
using System.Text.Json.Nodes;

namespace Embassy.Content.Elements;

/// <summary>A part known by its shape only: its content becomes item metadata (API kind null: title, culture, alias,
/// path, publish schedule), or it is passed to the app as stored ("object").</summary>
public sealed class ShapedPartKind(string name, string? apiKind, params ShapeProperty[] shape) : ContentElementKind(name, apiKind, shape)
{
    /// <summary>The list-index columns the part contributes.</summary>
    public Action<JsonObject, IndexColumns>? Indexer { get; init; }

    public override void Index(JsonObject value, IndexColumns columns) => Indexer?.Invoke(value, columns);

    /// <summary>Why an item may not be published as it is (see <see cref="ContentElementKind.PublishProblem"/>).</summary>
    public Func<IndexColumns, string?>? PublishCheck { get; init; }

    public override string? PublishProblem(IndexColumns columns) => PublishCheck?.Invoke(columns);
}

/// <summary>BagPart: items held inside the item, each checked and cleaned against its own type.</summary>
public sealed class BagPartKind() : ContentElementKind("BagPart", "items", new ShapeProperty("ContentItems", ValueShape.ItemArray))
{
    public override void WriteApi(Utf8JsonWriter writer, JsonElement? value, IApiWriter api)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(api);
        if (Property(value, "ContentItems") is { ValueKind: JsonValueKind.Array } items)
        {
            api.WriteItems(writer, items);
        }
        else
        {
            writer.WriteStartArray();
            writer.WriteEndArray();
        }
    }

    public override JsonObject ApiSchema() => new() { ["type"] = "array", ["items"] = SchemaRef("BagEntry") };
}

/// <summary>
/// The parts and fields the content core understands, by Orchard's name. The validator, the sanitizer, the mobile API
/// (its item JSON, /api/v1/types and the OpenAPI document) and the CMI's editors all ask here; parts and fields not
/// registered are stored as they come and passed to the app as stored ("object").
/// </summary>
public sealed class ContentElements
{
    private readonly Dictionary<string, ContentElementKind> _parts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ContentElementKind> _fields = new(StringComparer.Ordinal);

    public ContentElements(IEnumerable<ContentElementKind> kinds)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        foreach (var kind in kinds)
        {
            var table = kind.Name.EndsWith("Field", StringComparison.Ordinal) ? _fields : _parts;
            if (!table.TryAdd(kind.Name, kind))
            {
                throw new InvalidOperationException($"{kind.Name} is registered twice.");
            }
        }
    }

    /// <summary>Every kind Orchard's recipes use that this CMS understands.</summary>
    public static ContentElements Default { get; } = new(
    [
        new ValueFieldKind("TextField", "text", "Text", ValueShape.Text, "string"),
        new HtmlKind("HtmlField"),
        new MarkdownKind("MarkdownField"),
        new ValueFieldKind("NumericField", "number", "Value", ValueShape.Number, "number"),
        new ValueFieldKind("BooleanField", "boolean", "Value", ValueShape.Boolean, "boolean"),
        new ValueFieldKind("DateField", "date", "Value", ValueShape.DateTime, "string", "date-time"),
        new ValueFieldKind("DateTimeField", "datetime", "Value", ValueShape.DateTime, "string", "date-time"),
        new ValueFieldKind("TimeField", "time", "Value", ValueShape.Time, "string"),
        new LinkFieldKind(),
        new MediaFieldKind(),
        new ContentPickerFieldKind(),
        new HtmlKind("HtmlBodyPart", apiKey: "body"),
        new MarkdownKind("MarkdownBodyPart", apiKey: "body"),
        new BagPartKind(),
        new ShapedPartKind("TitlePart", null, new ShapeProperty("Title", ValueShape.Text))
            {
                Indexer = (v, c) => c.DisplayText = IndexColumns.Text(v, "Title"),
                // The app would list an empty line.
                PublishCheck = c => string.IsNullOrWhiteSpace(c.DisplayText) ? "Title: a title is required to publish" : null,
            },
        new ShapedPartKind("AliasPart", null, new ShapeProperty("Alias", ValueShape.Text))
            { Indexer = (v, c) => c.Alias = IndexColumns.Text(v, "Alias") },
        new ShapedPartKind("AutoroutePart", null, new ShapeProperty("Path", ValueShape.Text), new ShapeProperty("SetHomepage", ValueShape.Boolean))
            { Indexer = (v, c) => c.Path = IndexColumns.Text(v, "Path") },
        new ShapedPartKind("LocalizationPart", null, new ShapeProperty("Culture", ValueShape.Text), new ShapeProperty("LocalizationSet", ValueShape.Text))
            { Indexer = (v, c) => (c.Culture, c.LocalizationSet) = (IndexColumns.Text(v, "Culture"), IndexColumns.Text(v, "LocalizationSet")) },
        new ShapedPartKind("PublishLaterPart", null, new ShapeProperty("ScheduledPublishUtc", ValueShape.DateTime))
            { Indexer = (v, c) => c.ScheduledPublishUtc = IndexColumns.Utc(v, "ScheduledPublishUtc") },
        new ShapedPartKind("ArchiveLaterPart", null, new ShapeProperty("ScheduledArchiveUtc", ValueShape.DateTime))
            { Indexer = (v, c) => c.ScheduledUnpublishUtc = IndexColumns.Utc(v, "ScheduledArchiveUtc") },
    ]);

    /// <summary>This registry with more kinds (a module's own field kinds), for registering in its place.</summary>
    public ContentElements With(params ContentElementKind[] kinds) => new(_fields.Values.Concat(_parts.Values).Concat(kinds));

    public ContentElementKind? Part(string partName) => _parts.GetValueOrDefault(partName);

    public ContentElementKind? Field(string fieldName) => _fields.GetValueOrDefault(fieldName);

    public IEnumerable<ContentElementKind> Fields => _fields.Values;

    /// <summary>The API kinds a field or part may have ("object" for what is passed on as stored).</summary>
    public IReadOnlyList<string> ApiKinds => [.. _fields.Values.Concat(_parts.Values).Select(k => k.ApiKind).OfType<string>().Append("object").Distinct()];
}
