using System.Collections;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Embassy.Core;

/// <summary>
/// A list option set in configuration replaces the list's default in code, as an operator expects: the configuration
/// binder otherwise adds the configured items to the default (issue #31: <c>Embassy__Management__AllowedNetworks__0=…</c>
/// left loopback allowed). Lists, arrays, and the lists of a dictionary of lists (per key) are replaced.
/// </summary>
public static class ConfiguredLists
{
    public static OptionsBuilder<T> BindConfigurationReplacingLists<T>(this OptionsBuilder<T> builder, string section) where T : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.BindConfiguration(section);
        builder.Services.AddSingleton<IPostConfigureOptions<T>>(sp =>
            new PostConfigureOptions<T>(builder.Name, options => Replace(options, sp.GetRequiredService<IConfiguration>().GetSection(section))));
        return builder;
    }

    public static void Replace(object options, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(section);
        foreach (var property in options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!property.CanWrite || property.PropertyType == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(property.PropertyType))
            {
                continue;
            }
            var configured = section.GetSection(property.Name);
            if (!configured.Exists())
            {
                continue;
            }
            if (property.GetValue(options) is IDictionary dictionary && property.PropertyType.IsGenericType &&
                property.PropertyType.GetGenericArguments() is [var keyType, var valueType] && keyType == typeof(string) &&
                typeof(IEnumerable).IsAssignableFrom(valueType) && valueType != typeof(string))
            {
                foreach (var entry in configured.GetChildren())
                {
                    dictionary[entry.Key] = entry.Get(valueType);
                }
            }
            else if (property.PropertyType.IsArray || (property.PropertyType.IsGenericType && property.PropertyType.GetGenericTypeDefinition() == typeof(List<>)))
            {
                property.SetValue(options, configured.Get(property.PropertyType));
            }
        }
    }
}
