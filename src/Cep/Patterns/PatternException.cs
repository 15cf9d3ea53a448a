namespace Cep.Patterns;

/// <summary>
/// Thrown when a pattern is malformed: a stage breaks a rule of the pattern language, or the
/// stages together break a rule that is checked when the pattern is compiled.
/// </summary>
/// <remarks>
/// The message always starts with the stage that breaks the rule, for example
/// <c>Stage 'click': Until() applies only to looping stages (OneOrMore, TimesOrMore).</c>
/// </remarks>
/// <threadsafety>Instances are immutable once thrown.</threadsafety>
public sealed class PatternException : Exception
{
    /// <summary>Creates an exception for the rule <paramref name="rule"/> broken by stage <paramref name="stageName"/>.</summary>
    /// <param name="stageName">The name of the offending stage.</param>
    /// <param name="rule">What is wrong, as a sentence.</param>
    public PatternException(string stageName, string rule)
        : base($"Stage '{stageName}': {rule}")
    {
        StageName = stageName;
        Rule = rule;
    }

    /// <summary>Gets the name of the stage that breaks the rule.</summary>
    public string StageName { get; }

    /// <summary>Gets the rule that is broken, without the stage prefix.</summary>
    public string Rule { get; }
}
