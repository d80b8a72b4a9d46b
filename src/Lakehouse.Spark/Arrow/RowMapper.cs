using System.Globalization;
using System.Reflection;

namespace Lakehouse.Spark.Arrow;

/// <summary>
/// Maps <see cref="Row"/>s to a C# type: through the constructor whose parameters all match columns
/// (positional records), else through settable properties. Names match case-insensitively, as Spark resolves them.
/// </summary>
internal sealed class RowMapper<T>
{
    private readonly ConstructorInfo? _constructor;
    private readonly ParameterInfo[] _parameters = [];
    private readonly PropertyInfo[] _properties = [];

    internal RowMapper(IReadOnlyList<string> columns)
    {
        var names = new HashSet<string>(columns, StringComparer.OrdinalIgnoreCase);
        _constructor = typeof(T).GetConstructors()
            .Where(c => c.GetParameters().Length > 0 && c.GetParameters().All(p => p.Name is not null && names.Contains(p.Name)))
            .OrderByDescending(c => c.GetParameters().Length)
            .FirstOrDefault();
        if (_constructor is not null)
        {
            _parameters = _constructor.GetParameters();
            return;
        }

        if (typeof(T).GetConstructor(Type.EmptyTypes) is null)
        {
            throw new InvalidOperationException(
                $"{typeof(T).Name} cannot be built from columns {string.Join(", ", columns)}: give it a constructor whose parameter names match columns, or a parameterless constructor with settable properties.");
        }

        _properties = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && names.Contains(p.Name)).ToArray();
    }

    internal T Map(Row row)
    {
        if (_constructor is not null)
        {
            var args = _parameters.Select(p => Convert(row[p.Name!], p.ParameterType, p.Name!)).ToArray();
            return (T)_constructor.Invoke(args);
        }

        var instance = Activator.CreateInstance<T>();
        foreach (var property in _properties)
        {
            property.SetValue(instance, Convert(row[property.Name], property.PropertyType, property.Name));
        }

        return instance;
    }

    private static object? Convert(object? value, Type target, string name)
    {
        var underlying = Nullable.GetUnderlyingType(target);
        if (value is null)
        {
            return target.IsValueType && underlying is null
                ? throw new InvalidCastException($"Column '{name}' is null but {typeof(T).Name}.{name} is a non-nullable {target.Name}; make it nullable.")
                : null;
        }

        var type = underlying ?? target;
        if (type.IsInstanceOfType(value))
        {
            return value;
        }

        return value switch
        {
            DateTimeOffset t when type == typeof(DateTime) => t.UtcDateTime,
            DateTime t when type == typeof(DateTimeOffset) => new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)),
            _ when type == typeof(Guid) => Guid.Parse(value.ToString()!),
            _ => System.Convert.ChangeType(value, type, CultureInfo.InvariantCulture),
        };
    }
}
