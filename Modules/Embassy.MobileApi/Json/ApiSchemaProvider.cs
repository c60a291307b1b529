using Embassy.Content.Services;
using Embassy.MobileApi.Caching;
using Microsoft.Extensions.DependencyInjection;

namespace Embassy.MobileApi.Json;

/// <summary>Keeps the <see cref="ApiSchema"/> of the current definitions version.</summary>
public sealed class ApiSchemaProvider(IServiceScopeFactory scopes, ContentHeadWatcher watcher, Microsoft.Extensions.Options.IOptions<MobileApiOptions> options,
    Embassy.Content.Elements.ContentElements elements, Embassy.Media.Images.ImageCatalog images) : IDisposable
{
    private volatile ApiSchema? _schema;
    private readonly SemaphoreSlim _lock = new(1, 1);

    public async ValueTask<ApiSchema> GetAsync(CancellationToken cancellationToken)
    {
        var schema = await DefinitionsAsync(cancellationToken);
        var catalog = await images.GetAsync(cancellationToken);
        if (ReferenceEquals(schema.Images, catalog))
        {
            return schema;
        }
        var current = schema.WithImages(catalog);
        _schema = current; // a race with another request only builds the same copy twice
        return current;
    }

    private async ValueTask<ApiSchema> DefinitionsAsync(CancellationToken cancellationToken)
    {
        var version = watcher.Head.DefinitionsVersion;
        if (version < 0)
        {
            version = (await watcher.RefreshAsync(cancellationToken)).DefinitionsVersion;
        }
        var schema = _schema;
        if (schema is not null && schema.DefinitionsVersion == version)
        {
            return schema;
        }
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (_schema is { } current && current.DefinitionsVersion == version)
            {
                return current;
            }
            await using var scope = scopes.CreateAsyncScope();
            var definitions = scope.ServiceProvider.GetRequiredService<ContentDefinitionStore>();
            var settings = await scope.ServiceProvider.GetRequiredService<Embassy.Core.SiteSettingsStore>().GetAsync(cancellationToken);
            var built = ApiSchema.Build(version, await definitions.ListTypesAsync(cancellationToken), await definitions.ListPartsAsync(cancellationToken),
                ApiLocalization.From(options.Value, settings), elements);
            var withImages = built.WithImages(await images.GetAsync(cancellationToken));
            _schema = withImages;
            return withImages;
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose() => _lock.Dispose();
}
