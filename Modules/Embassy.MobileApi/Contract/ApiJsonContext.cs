using System.Text.Json;
using System.Text.Json.Serialization;
using Embassy.Video.Services;

namespace Embassy.MobileApi.Contract;

/// <summary>The responses' serializers, generated at build time (no reflection on the hot path). Nullable annotations
/// and constructor parameters are respected, so the schemas made from this metadata say what may be null and what
/// always comes.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.Strict,
    RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(SyncPage))]
[JsonSerializable(typeof(ListPage))]
[JsonSerializable(typeof(SearchPage))]
[JsonSerializable(typeof(TypesDocument))]
[JsonSerializable(typeof(CulturesDocument))]
[JsonSerializable(typeof(PublicVideoInfo))]
[JsonSerializable(typeof(IReadOnlyList<PublicVideoInfo>))]
[JsonSerializable(typeof(Problem))]
[JsonSerializable(typeof(Tombstone))]
[JsonSerializable(typeof(SearchHit))]
[JsonSerializable(typeof(Highlight))]
[JsonSerializable(typeof(ContentTypeInfo))]
[JsonSerializable(typeof(ContentFieldInfo))]
[JsonSerializable(typeof(FieldOption))]
[JsonSerializable(typeof(CultureEntry))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
