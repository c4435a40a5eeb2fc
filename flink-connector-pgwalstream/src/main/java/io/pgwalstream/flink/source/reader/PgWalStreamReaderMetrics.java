package io.pgwalstream.flink.source.reader;

import io.pgwalstream.replication.SessionStatus;

import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

/**
 * The reader's metrics. FLIP-33 names where Flink defines them ({@code currentFetchEventTimeLag},
 * {@code pendingBytes}; Flink itself counts {@code numRecordsIn} and measures {@code
 * currentEmitEventTimeLag} and {@code sourceIdleTime}), and per slot group, under {@code
 * pgwalstream.slotGroup.<slot>}, where the replication stands.
 *
 * <p>Gauges are read by reporter threads; everything they read is safe to read from any thread.
 */
final class PgWalStreamReaderMetrics implements AutoCloseable {

    static final String GROUP = "pgwalstream";
    static final String SLOT_GROUP = "slotGroup";
    static final String FETCH_EVENT_TIME_LAG = "currentFetchEventTimeLag";
    static final String RECEIVED_LSN = "receivedLsn";
    static final String SERVER_WAL_LSN = "serverWalLsn";
    static final String CONFIRMED_LSN = "confirmedLsn";
    static final String PENDING_BYTES = "pendingBytes";
    static final String SLOT_RETAINED_WAL_BYTES = "slotRetainedWalBytes";
    static final String SLOT_SAFE_WAL_BYTES = "slotSafeWalBytes";
    static final String RECONNECTS = "reconnects";
    static final String SPILLED_BYTES = "spilledBytes";
    static final String TRANSACTION_BUFFER_BYTES = "transactionBufferBytes";
    static final String RECEIVE_BUFFER_BYTES = "receiveBufferBytes";

    /** Gauge value before anything was measured. */
    static final long UNKNOWN = -1;

    private final MetricGroup group;
    private final ServerWalPoller server;
    private final Map<String, SlotGroupGauges> slotGroups = new ConcurrentHashMap<>();
    private volatile long fetchEventTimeLag = UNKNOWN;

    PgWalStreamReaderMetrics(SourceReaderMetricGroup readerGroup, ServerWalPoller server) {
        this.server = server;
        this.group = readerGroup.addGroup(GROUP);
        readerGroup.gauge(FETCH_EVENT_TIME_LAG, () -> fetchEventTimeLag);
        readerGroup.setPendingBytesGauge(this::pendingBytes);
    }

    /** Fetcher thread: a record committed at {@code commitMillis} was fetched just now. */
    void fetched(long commitMillis) {
        if (commitMillis > 0) {
            fetchEventTimeLag = Math.max(0, System.currentTimeMillis() - commitMillis);
        }
    }

    /** A slot group's stream starts; its gauges read it from now on. */
    void attach(String splitId, String slotName, SlotStream stream) {
        SlotGroupGauges gauges =
                slotGroups.computeIfAbsent(
                        splitId, id -> new SlotGroupGauges(group.addGroup(SLOT_GROUP, slotName)));
        gauges.attach(stream, slotName);
        server.watch(slotName);
    }

    /** A slot group's stream ended (finished or closed); its gauges keep the last values. */
    void detach(String splitId) {
        SlotGroupGauges gauges = slotGroups.get(splitId);
        if (gauges != null) {
            server.unwatch(gauges.slotName);
            gauges.detach();
        }
    }

    private long pendingBytes() {
        long sum = 0;
        for (SlotGroupGauges gauges : slotGroups.values()) {
            sum += gauges.pendingBytes();
        }
        return sum;
    }

    @Override
    public void close() {
        server.close();
    }

    /** One slot group's gauges: live values while its stream runs, the last ones after. */
    private final class SlotGroupGauges {
        private volatile SlotStream stream;
        private volatile SessionStatus lastStatus;
        private volatile long lastSpilledBytes;
        private volatile String slotName;

        SlotGroupGauges(MetricGroup g) {
            // LSNs are unsigned, but every real one fits a positive long.
            g.gauge(RECEIVED_LSN, () -> fromStatus(st -> st.receivedLsn().value()));
            g.gauge(SERVER_WAL_LSN, this::serverWalLsn);
            g.gauge(CONFIRMED_LSN, () -> fromStatus(st -> st.confirmedLsn().value()));
            g.gauge(RECONNECTS, () -> fromStatus(SessionStatus::reconnects));
            g.gauge(PENDING_BYTES, this::pendingBytes);
            g.gauge(
                    SLOT_RETAINED_WAL_BYTES,
                    () -> slotName == null ? UNKNOWN : server.retainedBytes(slotName));
            g.gauge(
                    SLOT_SAFE_WAL_BYTES,
                    () -> slotName == null ? UNKNOWN : server.safeWalBytes(slotName));
            g.gauge(SPILLED_BYTES, this::spilledBytes);
            g.gauge(TRANSACTION_BUFFER_BYTES, this::transactionBufferBytes);
            g.gauge(RECEIVE_BUFFER_BYTES, this::receiveBufferBytes);
        }

        void attach(SlotStream s, String slot) {
            this.slotName = slot;
            this.stream = s;
        }

        void detach() {
            SlotStream s = stream;
            if (s != null) {
                lastStatus = s.sessionStatus();
                lastSpilledBytes = s.assemblerMetrics().spilledBytes();
                stream = null;
            }
        }

        long fromStatus(ToLongFunction<SessionStatus> value) {
            SlotStream s = stream;
            SessionStatus st = s != null ? s.sessionStatus() : lastStatus;
            return st == null ? 0 : value.applyAsLong(st);
        }

        /** The polled WAL position, or the walsender's if that is newer (between polls). */
        long serverWalLsn() {
            long polled = server.serverWalLsn();
            long sent = fromStatus(st -> st.serverWalEnd().value());
            return Long.compareUnsigned(sent, polled) > 0 ? sent : polled;
        }

        long pendingBytes() {
            SlotStream s = stream;
            if (s == null) {
                return 0;
            }
            long received = s.sessionStatus().receivedLsn().value();
            long end = serverWalLsn();
            // Before the first message nothing says where this slot stands: unknown, not "all".
            return received != 0 && Long.compareUnsigned(end, received) > 0 ? end - received : 0;
        }

        long spilledBytes() {
            SlotStream s = stream;
            return s != null ? s.assemblerMetrics().spilledBytes() : lastSpilledBytes;
        }

        long receiveBufferBytes() {
            SlotStream s = stream;
            return s != null ? s.sessionStatus().bufferedBytes() : 0;
        }

        long transactionBufferBytes() {
            SlotStream s = stream;
            return s != null ? s.assemblerMetrics().bufferedBytesInMemory() : 0;
        }
    }
}
