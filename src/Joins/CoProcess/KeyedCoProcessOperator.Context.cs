using Cep.Time;
using NodaTime;

namespace Cep.Joins.CoProcess;

/// <content>The context a callback sees, the timer service and the state backend of the handles.</content>
public sealed partial class KeyedCoProcessOperator<TKey, T1, T2, TOut>
{
    /// <summary>One object for every callback: the operator sets the key and time before each call and clears them after.</summary>
    private sealed class Context(KeyedCoProcessOperator<TKey, T1, T2, TOut> op) : ICoProcessContext<TKey, TOut>, ITimerService, IStateBackend
    {
        private KeyEntry<TKey>? _entry;
        private long _timestamp;

        public TKey CurrentKey => Entry.Key;

        public Instant Timestamp => EventTicks.ToInstant(_timestamp);

        public TimeDomain? TimerDomain { get; private set; }

        public Instant CurrentWatermark => op._intake.Combined;

        public ITimerService TimerService => this;

        public Instant CurrentProcessingTime => EventTicks.ToInstant(op.ProcessingNow());

        private KeyEntry<TKey> Entry => _entry ?? throw new InvalidOperationException(
            "Keyed state, timers and outputs are available only inside ProcessElement1, ProcessElement2 and OnTimer.");

        public void Set(KeyEntry<TKey> entry, long timestamp, TimeDomain? domain)
        {
            _entry = entry;
            _timestamp = timestamp;
            TimerDomain = domain;
        }

        public void Clear()
        {
            _entry = null;
            TimerDomain = null;
        }

        public void Emit(TOut value)
        {
            var entry = Entry;
            op.Counters.OutputCount++;
            op._output.OnOutput(entry.Key, value, Timestamp);
        }

        public void EmitSide(string tag, TOut value)
        {
            ArgumentException.ThrowIfNullOrEmpty(tag);
            var entry = Entry;
            op.Counters.SideOutputCount++;
            op._output.OnSideOutput(tag, entry.Key, value, Timestamp);
        }

        public void RegisterEventTimeTimer(Instant time)
        {
            var entry = Entry;
            if (op._eventTimers.Add(entry.Key, EventTicks.ToTicks(time), op._timerSeq))
            {
                op._timerSeq++;
                entry.Timers++;
            }
        }

        public void DeleteEventTimeTimer(Instant time)
        {
            var entry = Entry;
            if (op._eventTimers.Remove(entry.Key, EventTicks.ToTicks(time)))
            {
                entry.Timers--;
            }
        }

        public void RegisterProcessingTimeTimer(Instant time)
        {
            var entry = Entry;
            op.ProcessingNow(); // throws without a scheduler
            var ticks = EventTicks.ToTicks(time);
            if (op._processingTimers.Add(entry.Key, ticks, op._timerSeq))
            {
                op._timerSeq++;
                entry.Timers++;
                op.ScheduleWakeUp(ticks);
            }
        }

        public void DeleteProcessingTimeTimer(Instant time)
        {
            var entry = Entry;
            if (op._processingTimers.Remove(entry.Key, EventTicks.ToTicks(time)))
            {
                entry.Timers--;
            }
        }

        public IStateCell? Cell(int index) => Entry.Cells[index];

        public IStateCell GetOrCreateCell(int index) => Entry.Cells[index] ??= op._descriptors[index].CreateCell();

        public long ExpiryNow(TimeDomain domain) =>
            domain == TimeDomain.EventTime ? op._intake.Ticks : op.ProcessingNow();

        // In a processing-time timer there is no event timestamp: event-time TTL stamps with the watermark then.
        public long StampNow(TimeDomain domain) =>
            domain == TimeDomain.ProcessingTime ? op.ProcessingNow()
            : TimerDomain == TimeDomain.ProcessingTime ? op._intake.Ticks
            : _timestamp;

        public void Written(int index, long stamp)
        {
            var ttl = op._descriptors[index].Ttl!;
            var queue = ttl.Domain == TimeDomain.EventTime ? op._eventExpiry : op._processingExpiry;
            queue.Enqueue((Entry.Key, index), EventTicks.Plus(stamp, ttl.TtlTicks));
        }
    }

    /// <summary>The registry given to <see cref="KeyedCoProcessFunction{TKey, T1, T2, TOut}.Open"/>.</summary>
    private sealed class Registry(KeyedCoProcessOperator<TKey, T1, T2, TOut> op) : IKeyedStateRegistry
    {
        private bool _closed;

        public void Close() => _closed = true;

        public IValueState<T> GetValueState<T>(ValueStateDescriptor<T> descriptor) =>
            new ValueStateHandle<T>(op._context, Declare(descriptor), descriptor.Ttl);

        public IListState<T> GetListState<T>(ListStateDescriptor<T> descriptor) =>
            new ListStateHandle<T>(op._context, Declare(descriptor), descriptor.Ttl);

        public IMapState<TMapKey, TValue> GetMapState<TMapKey, TValue>(MapStateDescriptor<TMapKey, TValue> descriptor)
            where TMapKey : notnull =>
            new MapStateHandle<TMapKey, TValue>(op._context, Declare(descriptor), descriptor.Ttl);

        private int Declare(StateDescriptor descriptor)
        {
            ArgumentNullException.ThrowIfNull(descriptor);
            if (_closed)
            {
                throw new InvalidOperationException($"{descriptor} is declared too late: declare every state in Open.");
            }

            if (op._descriptors.Any(d => d.Name == descriptor.Name))
            {
                throw new ArgumentException($"The function declares two states named '{descriptor.Name}'.", nameof(descriptor));
            }

            if (descriptor.Ttl is { Domain: TimeDomain.ProcessingTime } && op._options.Scheduler is null)
            {
                throw new InvalidOperationException($"{descriptor} has a processing-time TTL: set KeyedCoProcessOptions.Scheduler.");
            }

            op._descriptors.Add(descriptor);
            return op._descriptors.Count - 1;
        }
    }
}
