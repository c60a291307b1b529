namespace Embassy.MobileApi.Contract;

/// <summary>The name of a response type's schema in the OpenAPI document, when it is not the type's own name.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ApiSchemaAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>The values a string property takes (an OpenAPI <c>enum</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ApiEnumAttribute(params string[] values) : Attribute
{
    public IReadOnlyList<string> Values { get; } = values;
}

/// <summary>Items written from the item cache (<see cref="ItemsWriter"/>): an array of the named schema. <c>{type}</c>
/// stands for the content type of a per-type list.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ApiItemsAttribute(string schema) : Attribute
{
    public string Schema { get; } = schema;
}

/// <summary>An OpenAPI <c>format</c> for a property (<c>int64</c>, <c>int32</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ApiFormatAttribute(string format) : Attribute
{
    public string Format { get; } = format;
}
