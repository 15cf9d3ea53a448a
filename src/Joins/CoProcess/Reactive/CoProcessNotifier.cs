using NodaTime;

namespace Cep.Joins.CoProcess;

/// <summary>Turns a co-process operator's outputs into notifications of
/// <see cref="ConnectedStreams{TKey, T1, T2}.Process{TOut}(Func{KeyedCoProcessFunction{TKey, T1, T2, TOut}}, KeyedCoProcessOptions{TKey}?)"/>.</summary>
/// <param name="observer">The subscriber.</param>
/// <threadsafety>Called under its subscription's lock only.</threadsafety>
internal sealed class CoProcessNotifier<TKey, T1, T2, TOut>(IObserver<CoProcessOutput<TKey, T1, T2, TOut>> observer)
    : ICoProcessOutput<TKey, T1, T2, TOut>
    where TKey : notnull
{
    public void OnOutput(TKey key, TOut value, Instant timestamp) =>
        observer.OnNext(new() { Kind = CoProcessOutputKind.Output, Key = key, Value = value, Timestamp = timestamp });

    public void OnSideOutput(string tag, TKey key, TOut value, Instant timestamp) =>
        observer.OnNext(new() { Kind = CoProcessOutputKind.SideOutput, Key = key, Value = value, Tag = tag, Timestamp = timestamp });

    public void OnLate1(TKey key, T1 value, Instant timestamp, Instant watermark) =>
        observer.OnNext(new() { Kind = CoProcessOutputKind.Late1, Key = key, Record1 = value, Timestamp = timestamp, Watermark = watermark });

    public void OnLate2(TKey key, T2 value, Instant timestamp, Instant watermark) =>
        observer.OnNext(new() { Kind = CoProcessOutputKind.Late2, Key = key, Record2 = value, Timestamp = timestamp, Watermark = watermark });

    public void OnError1(TKey? key, T1 value, Instant timestamp, Exception error) =>
        observer.OnNext(new() { Kind = CoProcessOutputKind.Error1, Key = key, Record1 = value, Timestamp = timestamp, Error = error });

    public void OnError2(TKey? key, T2 value, Instant timestamp, Exception error) =>
        observer.OnNext(new() { Kind = CoProcessOutputKind.Error2, Key = key, Record2 = value, Timestamp = timestamp, Error = error });

    public void OnTimerError(TKey key, Instant time, TimeDomain domain, Exception error) =>
        observer.OnNext(new() { Kind = CoProcessOutputKind.TimerError, Key = key, Timestamp = time, Domain = domain, Error = error });
}
