using System.Text.Json.Nodes;
using ElectionResults.Api.Infrastructure.Validation;
using FluentValidation;
using FluentValidation.Validators;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ElectionResults.Api.Infrastructure.OpenApi;

/// <summary>
/// Reads a request type's FluentValidation validator into its schema, so that generated clients know what the API
/// will refuse: a property with an unconditional <c>NotNull</c>/<c>NotEmpty</c> rule is <c>required</c> and not
/// nullable; one checked with <see cref="AllowedValuesExtensions.OneOf"/> gets its values as an <c>enum</c> (and is
/// not nullable: omit it instead). Works for any type that has a validator registered.
/// </summary>
internal sealed class RequestRulesSchemaFilter(IServiceProvider services) : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema concrete || concrete.Properties is not { Count: > 0 } properties)
        {
            return;
        }

        using var scope = services.CreateScope();
        if (scope.ServiceProvider.GetService(typeof(IValidator<>).MakeGenericType(context.Type)) is not IValidator validator)
        {
            return;
        }

        var descriptor = validator.CreateDescriptor();
        foreach (var (name, property) in properties)
        {
            if (property is not OpenApiSchema propertySchema)
            {
                continue;
            }

            // The validators name properties in camelCase, as the JSON does (CamelCasePropertyNames).
            var components = descriptor.GetRulesForMember(name)
                .Where(rule => !rule.GetType().Name.StartsWith("CollectionPropertyRule", StringComparison.Ordinal))
                .SelectMany(rule => rule.Components.Select(component => (rule, component)))
                .ToArray();

            // Required only when no condition applies (rules inside When(...) blocks carry theirs on the rule).
            var required = components.Any(c => !c.rule.HasCondition && !c.rule.HasAsyncCondition
                && !c.component.HasCondition && !c.component.HasAsyncCondition
                && c.component.Validator is INotNullValidator or INotEmptyValidator);
            if (required)
            {
                concrete.Required ??= new HashSet<string>(StringComparer.Ordinal);
                concrete.Required.Add(name);
                NotNull(propertySchema);
            }

            if (components.Select(c => c.component.Validator).OfType<IAllowedValuesValidator>().FirstOrDefault() is { } allowed)
            {
                propertySchema.Enum = allowed.Values.Select(value => (JsonNode)JsonValue.Create(value)).ToList();
                NotNull(propertySchema);
            }
        }
    }

    private static void NotNull(OpenApiSchema schema)
    {
        if (schema.Type is { } type && type.HasFlag(JsonSchemaType.Null) && type != JsonSchemaType.Null)
        {
            schema.Type = type & ~JsonSchemaType.Null;
        }
    }
}
