using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Embassy.MobileApi.Caching;

namespace Embassy.MobileApi.Endpoints;

internal static class Responses
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = false };

    /// <summary>Writes a body once; the bytes (and their hash, the ETag) are then served as they are.</summary>
    public static CachedResponse Write(Action<Utf8JsonWriter> body, string? contentLanguage, string cacheControl)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            body(writer);
        }
        return new CachedResponse(buffer.WrittenSpan.ToArray(), contentLanguage, cacheControl);
    }

    /// <summary>A piece of JSON (one item of a list), written as responses are.</summary>
    public static byte[] Bytes(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(2 * 1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            body(writer);
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static CachedResponse Json(JsonNode body, string? contentLanguage, string cacheControl) =>
        Write(w => body.WriteTo(w), contentLanguage, cacheControl);
}
