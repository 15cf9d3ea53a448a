namespace Cep.Joins.Interval;

/// <summary>Which records of an interval join are reported when they find no partner.</summary>
public enum IntervalJoinType
{
    /// <summary>Only joined pairs are emitted (Flink's interval join). The default.</summary>
    Inner,

    /// <summary>Joined pairs, and every left record that joined nothing, once its window has closed for good.</summary>
    LeftOuter,

    /// <summary>Joined pairs, and every right record that joined nothing, once its window has closed for good.</summary>
    RightOuter,

    /// <summary>Joined pairs, and every left or right record that joined nothing, once its window has closed for good.</summary>
    FullOuter,
}
