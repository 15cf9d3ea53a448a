namespace Cep.Joins.Lookup;

/// <content>A wake-up for callers that drive the operator only when there is work (the observable face).</content>
public sealed partial class AsyncLookupOperator<TIn, TKey, TValue>
{
    /// <summary>Completes when an answer or a timer has posted mail that a call (e.g. <see cref="PollAsync"/>) would take;
    /// at once if some is waiting. Must not be awaited by a call of the operator's own.</summary>
    /// <returns>The wake-up.</returns>
    internal Task WaitForMailAsync() => _mailbox.WaitAsync();
}
