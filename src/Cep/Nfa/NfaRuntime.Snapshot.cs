namespace Cep.Nfa;

/// <content>Support for restoring operator snapshots.</content>
internal sealed partial class NfaRuntime<TKey, T>
{
    /// <summary>Counts partial matches that a snapshot restore placed directly into key states.</summary>
    public void AddRestoredPartialMatches(long count) => PartialMatches += count;
}
