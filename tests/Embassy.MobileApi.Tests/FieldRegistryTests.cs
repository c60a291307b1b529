using System.Text.Json;
using System.Text.Json.Nodes;
using Embassy.Content.Elements;
using Embassy.Content.Models;
using Embassy.Content.Services;
using Embassy.MobileApi.Json;
using Embassy.MobileApi.OpenApi;

namespace Embassy.MobileApi.Tests;

/// <summary>
/// One definition per field kind (ContentElements): the validator, the sanitizer, the item JSON, /api/v1/types and the
/// OpenAPI document all follow it, so a new kind is one class and one registration. Pure: no server, no database.
/// </summary>
public sealed class FieldRegistryTests
{
    /// <summary>A kind this CMS did not have: a colour as #rrggbb, refused otherwise, sent to the app as a string.</summary>
    private sealed class ColorFieldKind() : ContentElementKind("ColorField", "color", new ShapeProperty("Color", ValueShape.Text))
    {
        public override string? Clean(JsonObject value) =>
            value["Color"] is JsonValue c && c.TryGetValue<string>(out var text) && !System.Text.RegularExpressions.Regex.IsMatch(text, "^#[0-9a-fA-F]{6}$")
                ? $"'{text}' is not a colour as #rrggbb" : null;

        public override void WriteApi(Utf8JsonWriter writer, JsonElement? value, IApiWriter api) =>
            Copy(writer, value is { ValueKind: JsonValueKind.Object } v && v.TryGetProperty("Color", out var color) ? color : null);

        public override JsonObject ApiSchema() => new() { ["type"] = new JsonArray("string", "null"), ["pattern"] = "^#[0-9a-fA-F]{6}$" };
    }

    private static readonly ContentTypeDefinition Banner = new("Banner", "Banner", JsonNode.Parse("""
        { "Settings": {}, "ContentTypePartDefinitionRecords": [ { "PartName": "TitlePart", "Name": "TitlePart" },
          { "PartName": "Banner", "Name": "Banner" }, { "PartName": "HtmlBodyPart", "Name": "HtmlBodyPart" } ] }
        """)!.AsObject());

    private static readonly ContentPartDefinition BannerPart = new("Banner", JsonNode.Parse("""
        { "ContentPartFieldDefinitionRecords": [ { "FieldName": "ColorField", "Name": "Background" }, { "FieldName": "MediaField", "Name": "Picture" } ] }
        """)!.AsObject());

    private static readonly ContentElements Elements = ContentElements.Default.With(new ColorFieldKind());

    private static ContentDefinitionSnapshot Snapshot(ContentElements elements) => new(
        new Dictionary<string, ContentTypeDefinition> { ["Banner"] = Banner }, new Dictionary<string, ContentPartDefinition> { ["Banner"] = BannerPart })
    { Elements = elements };

    private static JsonObject Item(JsonNode background, JsonNode? anchors = null) => new()
    {
        ["TitlePart"] = new JsonObject { ["Title"] = "Welcome" },
        ["HtmlBodyPart"] = new JsonObject { ["Html"] = "<p>Hi</p><script>x()</script>" },
        ["Banner"] = new JsonObject
        {
            ["Background"] = new JsonObject { ["Color"] = background },
            ["Picture"] = new JsonObject { ["Paths"] = new JsonArray("a.jpg", "b.jpg"), ["MediaTexts"] = new JsonArray("A", "B"), ["Anchors"] = anchors ?? new JsonArray(new JsonObject { ["X"] = 0.1, ["Y"] = 0.9 }) },
        },
    };

    [Fact]
    public void ANewKind_IsCheckedCleanedAndServed_ByItsRegistrationAlone()
    {
        Assert.Contains("Banner.Background.Color: expected a string, got the number 5", ContentItemValidator.Validate("Banner", Item(5), Snapshot(Elements)));
        Assert.Empty(ContentItemValidator.Validate("Banner", Item(5), Snapshot(ContentElements.Default))); // unknown there: stored as it came
        var red = Item("red");
        Assert.Empty(ContentItemValidator.Validate("Banner", red, Snapshot(Elements)));
        Assert.Equal(["Banner.Background.Color: 'red' is not a colour as #rrggbb"], ContentItemValidator.Clean("Banner", red, Snapshot(Elements)));

        var good = Item("#112233");
        Assert.Empty(ContentItemValidator.Clean("Banner", good, Snapshot(Elements)));
        Assert.Equal("<p>Hi</p>", (string?)good["HtmlBodyPart"]!["Html"]); // the body's kind cleaned it too

        var schema = ApiSchema.Build(1, [Banner], [BannerPart], new ApiLocalization(["en"], new Dictionary<string, IReadOnlyList<string>>()), Elements);
        Assert.Equal(["background:color", "picture:media", "body:html"], schema.For("Banner")!.Fields.Select(f => $"{f.Key}:{f.Kind}"));
        var json = JsonNode.Parse(ItemJson.Preview(new ContentItem
        {
            ContentItemId = "b1", ContentItemVersionId = "v1", ContentType = "Banner", ContentJson = good.ToJsonString(),
        }, schema))!;
        Assert.Equal("#112233", (string?)json["fields"]!["background"]);
        Assert.Equal(("A", 0.1, 0.9), ((string?)json["fields"]!["picture"]![0]!["text"], (double)json["fields"]!["picture"]![0]!["focalPoint"]!["x"]!,
            (double)json["fields"]!["picture"]![0]!["focalPoint"]!["y"]!));
        Assert.Equal(0.5, (double)json["fields"]!["picture"]![1]!["focalPoint"]!["x"]!); // no anchor: the centre

        // Images: their size (from the media index) and a ready URL per media profile, cropped around the focal point.
        var withImages = schema.WithImages(new Embassy.Media.Images.ImageCatalogSnapshot(
            new Dictionary<string, (int, int)> { ["a.jpg"] = (800, 600) }, ["card", "thumbnail"]));
        var picture = JsonNode.Parse(ItemJson.Preview(new ContentItem
        {
            ContentItemId = "b1", ContentItemVersionId = "v1", ContentType = "Banner", ContentJson = good.ToJsonString(),
        }, withImages))!["fields"]!["picture"]!;
        Assert.Equal(("A", 800, 600), ((string?)picture[0]!["alt"], (int?)picture[0]!["width"], (int?)picture[0]!["height"]));
        Assert.Equal("/media/a.jpg?profile=thumbnail&rxy=0.1,0.9", (string?)picture[0]!["profiles"]!["thumbnail"]);
        Assert.Equal("/media/b.jpg?profile=card&rxy=0.5,0.5", (string?)picture[1]!["profiles"]!["card"]);
        Assert.Null(picture[1]!["width"]); // not in the index (yet): unknown, not guessed

        var document = MobileApiDocument.Build(schema, new MobileApiOptions(), Embassy.MobileApi.Contract.ResponseContract.Default, "https://api.embassy.example");
        Assert.Equal("^#[0-9a-fA-F]{6}$", (string?)document["components"]!["schemas"]!["BannerFields"]!["properties"]!["background"]!["pattern"]);
        Assert.Contains("color", document["components"]!["schemas"]!["FieldInfo"]!["properties"]!["kind"]!["enum"]!.AsArray().Select(k => (string)k!));
    }

    [Fact]
    public void MediaFocalPoints_OutsideTheImage_AreRefused()
    {
        var errors = ContentItemValidator.Validate("Banner", Item("#000000", new JsonArray(new JsonObject { ["X"] = 1.5, ["Y"] = "top" })), Snapshot(Elements));
        Assert.Equal(["Banner.Picture.Anchors[0].X: expected a number from 0 to 1, got the number 1.5",
                      "Banner.Picture.Anchors[0].Y: expected a number from 0 to 1, got the string \"top\""], errors);
        Assert.Contains("Banner.Picture.Anchors: expected an array of objects, got the string \"x\"",
            ContentItemValidator.Validate("Banner", Item("#000000", "x"), Snapshot(Elements)));
    }

    [Fact]
    public void TheRegistry_RefusesAKindRegisteredTwice() =>
        Assert.Throws<InvalidOperationException>(() => ContentElements.Default.With(new ColorFieldKind(), new ColorFieldKind()));
}
