using System.ComponentModel.DataAnnotations;
using Cep.Operators;
using NodaTime;

namespace Cep.Joins.Retry;

/// <summary>Checks <see cref="RetryQueueOptions{TKey, TIn, TValue}"/> and reports every violation at once.</summary>
internal static class RetryQueueOptionsValidator
{
    public const string Header = "The 'RetryQueueOptions' are invalid.";

    /// <exception cref="ValidationException">At least one violation; the message lists them all, one per line.</exception>
    public static void Validate<TKey, TIn, TValue>(RetryQueueOptions<TKey, TIn, TValue> options)
    {
        var errors = new List<string>();
        Annotations(options, string.Empty, errors);
        if (options.Levels is { } levels)
        {
            if (levels.Count == 0)
            {
                errors.Add("Levels must hold at least one level.");
            }

            for (var i = 0; i < levels.Count; i++)
            {
                var prefix = $"Levels[{i}]";
                if (levels[i] is not { } level)
                {
                    errors.Add($"{prefix} is null.");
                    continue;
                }

                Annotations(level, prefix + ": ", errors);
                if (level.Delay < Duration.Zero)
                {
                    errors.Add($"{prefix}.Delay must not be negative; it was {level.Delay}.");
                }

                if (!Enum.IsDefined(level.BackoffType))
                {
                    errors.Add($"{prefix}.BackoffType must be Constant, Linear or Exponential; it was {(int)level.BackoffType}.");
                }

                if (level.MaxDelay is { } max && max < Duration.Zero)
                {
                    errors.Add($"{prefix}.MaxDelay must not be negative; it was {max}.");
                }
            }
        }

        if (!Enum.IsDefined(options.TimeMode))
        {
            errors.Add($"TimeMode must be EventTime or ProcessingTime; it was {(int)options.TimeMode}.");
        }
        else if (options.TimeMode == TimeMode.ProcessingTime && options.Scheduler is null)
        {
            errors.Add("Scheduler is required in processing time.");
        }

        if (options.Ttl is { } ttl && ttl <= Duration.Zero)
        {
            errors.Add($"Ttl must be positive; it was {ttl}.");
        }

        if (errors.Count > 0)
        {
            throw new ValidationException($"{Header}\n\nValidation errors:\n{string.Join("\n", errors)}");
        }
    }

    private static void Annotations(object instance, string prefix, List<string> errors)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(instance, new ValidationContext(instance), results, validateAllProperties: true);
        errors.AddRange(results.Select(r => prefix + r.ErrorMessage));
    }
}
