using System.Text.Json;
using System.Text.Json.Serialization;

namespace Embassy.MobileApi.Contract;

/// <summary>
/// The items of a page, written by the item writer (<see cref="Json.ItemJson"/>) or copied from the item cache's
/// bytes: items are the API's hot path and their fields come from the content definitions, so a page's record holds
/// how to write them, and its schema names the items' schema (<see cref="ApiItemsAttribute"/>).
/// </summary>
[JsonConverter(typeof(ItemsWriterConverter))]
public sealed class ItemsWriter(Action<Utf8JsonWriter> write)
{
    internal void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartArray();
        write(writer);
        writer.WriteEndArray();
    }
}

internal sealed class ItemsWriterConverter : JsonConverter<ItemsWriter>
{
    public override ItemsWriter Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("responses are written, never read");

    public override void Write(Utf8JsonWriter writer, ItemsWriter value, JsonSerializerOptions options) => value.WriteTo(writer);
}
