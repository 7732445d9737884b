using FluentValidation;
using FluentValidation.Validators;

namespace ElectionResults.Api.Infrastructure.Validation;

/// <summary>A validator whose property takes one of a fixed set of strings; the OpenAPI document shows them as its <c>enum</c>.</summary>
public interface IAllowedValuesValidator
{
    IReadOnlyList<string> Values { get; }
}

/// <summary>Accepts null (other rules decide whether the field is required) or one of <see cref="Values"/>, compared exactly.</summary>
public sealed class AllowedValuesValidator<T>(IReadOnlyList<string> values) : PropertyValidator<T, string?>, IAllowedValuesValidator
{
    public IReadOnlyList<string> Values { get; } = values;

    public override string Name => "AllowedValuesValidator";

    public override bool IsValid(ValidationContext<T> context, string? value) => value is null || Values.Contains(value, StringComparer.Ordinal);

    protected override string GetDefaultMessageTemplate(string errorCode) =>
        "{PropertyName} must be one of: " + string.Join(", ", Values) + ".";
}

public static class AllowedValuesExtensions
{
    /// <summary>The value must be one of <paramref name="values"/> (null passes: combine with NotEmpty to require it).</summary>
    public static IRuleBuilderOptions<T, string?> OneOf<T>(this IRuleBuilder<T, string?> rule, IReadOnlyList<string> values) =>
        rule.SetValidator(new AllowedValuesValidator<T>(values));
}
