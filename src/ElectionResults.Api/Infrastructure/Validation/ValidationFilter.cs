using System.Reflection;
using FluentValidation;

namespace ElectionResults.Api.Infrastructure.Validation;

/// <summary>
/// Runs the FluentValidation validator of each request-body argument before the handler; a failure
/// becomes a 400 validation problem naming every bad field. Attached only to endpoints whose
/// parameters have a validator.
/// </summary>
public static class ValidationFilter
{
    public static TBuilder WithValidation<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilterFactory(Create);
        builder.WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status400BadRequest, typeof(HttpValidationProblemDetails), ["application/problem+json"]));
        return builder;
    }

    private static EndpointFilterDelegate Create(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var validated = context.MethodInfo.GetParameters()
            .Select((parameter, index) => (parameter, index))
            .Where(p => p.parameter.ParameterType.IsClass && p.parameter.ParameterType != typeof(string))
            .Select(p => (p.index, validator: ValidatorType(context, p.parameter)))
            .Where(p => p.validator is not null)
            .ToArray();

        if (validated.Length == 0)
        {
            return next;
        }

        return async invocation =>
        {
            foreach (var (index, validatorType) in validated)
            {
                var argument = invocation.Arguments[index];
                if (argument is null)
                {
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["A JSON body is required."] });
                }

                var validator = (IValidator)invocation.HttpContext.RequestServices.GetRequiredService(validatorType!);
                var result = await validator.ValidateAsync(new ValidationContext<object>(argument), invocation.HttpContext.RequestAborted);
                if (!result.IsValid)
                {
                    return TypedResults.ValidationProblem(result.ToDictionary());
                }
            }

            return await next(invocation);
        };
    }

    private static Type? ValidatorType(EndpointFilterFactoryContext context, ParameterInfo parameter)
    {
        var type = typeof(IValidator<>).MakeGenericType(parameter.ParameterType);
        return context.ApplicationServices.GetService(type) is null ? null : type;
    }
}
