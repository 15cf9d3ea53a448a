namespace Cep.Patterns;

/// <summary>How a stage relates to the events before it (or, inside a quantifier, to its own previous event).</summary>
internal enum ConsumingStrategy
{
    /// <summary><c>Next</c> / <c>Consecutive</c>: the very next event must match.</summary>
    Strict,

    /// <summary><c>FollowedBy</c> (the default inside quantifiers): skip events that do not match; the first that matches is taken.</summary>
    SkipTillNext,

    /// <summary><c>FollowedByAny</c> / <c>AllowCombinations</c>: every matching event may be taken or skipped.</summary>
    SkipTillAny,

    /// <summary><c>NotNext</c>: the very next event must not match.</summary>
    NotNext,

    /// <summary><c>NotFollowedBy</c>: no event up to the next accepted one may match.</summary>
    NotFollow,
}
