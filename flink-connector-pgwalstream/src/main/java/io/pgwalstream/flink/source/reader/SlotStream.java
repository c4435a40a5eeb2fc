package io.pgwalstream.flink.source.reader;

import io.pgwalstream.changes.AssembledRecord;
import io.pgwalstream.changes.AssemblerMetrics;
import io.pgwalstream.changes.ChangeEvent;
import io.pgwalstream.changes.ChangePosition;
import io.pgwalstream.changes.TransactionAssembler;
import io.pgwalstream.changes.TransactionCommitted;
import io.pgwalstream.flink.source.PgWalStreamSourceConfig;
import io.pgwalstream.flink.source.split.PgWalStreamSplit;
import io.pgwalstream.protocol.CopyDataHeaders;
import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.protocol.PgTimestamps;
import io.pgwalstream.protocol.ReplicationFrameDecoder;
import io.pgwalstream.protocol.XLogData;
import io.pgwalstream.replication.LogicalStreamSpec;
import io.pgwalstream.replication.LsnFeedback;
import io.pgwalstream.replication.MessageSink;
import io.pgwalstream.replication.ReplicationSession;
import io.pgwalstream.replication.SessionStart;
import io.pgwalstream.replication.SessionStatus;
import io.pgwalstream.snapshot.HandOverFilter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;

/**
 * One split on the fetcher thread: its replication session, its transaction assembler, and the
 * rules that make reading exactly-once — skip what a previous run (or session) already emitted,
 * record which LSN becomes safe after which record, stop at the bounded end.
 */
final class SlotStream implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SlotStream.class);
    private static final int MESSAGES_PER_POLL = 1024;

    private final PgWalStreamSplit split;
    private final SplitProgress progress;
    private final ReplicationSession session;
    private final TransactionAssembler assembler;
    private final ArrayDeque<Object> received = new ArrayDeque<>();
    private final long stopLsn;

    /** After a resumed initial snapshot: changes a later snapshot of their keys already holds. */
    private HandOverFilter handOver;

    private final GroupTables tables;

    private final MessageSink sink =
            new MessageSink() {
                @Override
                public void onSessionStart(SessionStart start) {
                    received.add(start);
                }

                @Override
                public void onMessage(byte[] copyData) {
                    received.add(copyData);
                }
            };

    /** Everything at or before this was emitted already (restored or by an earlier session). */
    private ChangePosition skipThrough;

    private ChangePosition lastFetched;
    private long lastFetchedCommitMicros;
    private boolean finished;

    SlotStream(
            PgWalStreamSplit split,
            PgWalStreamSourceConfig config,
            SplitProgress progress,
            LsnFeedback feedback) {
        this.split = split;
        this.progress = progress;
        this.skipThrough = split.lastEmitted();
        this.stopLsn = split.stopLsn().value();
        this.handOver = split.handOver();
        this.tables = new GroupTables(split.group());
        this.assembler = new TransactionAssembler(split.options(), config.assemblerSettings());
        // A restored split resumes where its last checkpoint was safe; a fresh one where asked.
        Lsn start = split.restored() ? split.resumeLsn() : split.startLsn();
        LogicalStreamSpec spec =
                LogicalStreamSpec.of(
                                split.group().slotName(),
                                List.of(split.group().publication()),
                                split.options())
                        .withStartLsn(start)
                        .withOrigin(split.origin())
                        .withStatusInterval(config.statusInterval());
        this.session =
                ReplicationSession.logical(
                        config.connection(),
                        spec,
                        config.reconnectPolicy(),
                        config.sessionSettings(),
                        feedback);
    }

    String splitId() {
        return split.splitId();
    }

    boolean finished() {
        return finished;
    }

    /** Any thread: the replication session's progress. */
    SessionStatus sessionStatus() {
        return session.status();
    }

    /** Any thread: the transaction buffer's counters. */
    AssemblerMetrics assemblerMetrics() {
        return assembler.metrics();
    }

    /**
     * Fetcher thread: the commit time of the last fetched change's transaction (Unix ms), 0 before
     * the first one.
     */
    long lastFetchedCommitMillis() {
        return lastFetchedCommitMicros == 0
                ? 0
                : PgTimestamps.toUnixMillis(lastFetchedCommitMicros);
    }

    /**
     * Hands up to {@code budget} events to {@code out}, waiting up to {@code wait} for data when
     * there is none buffered.
     *
     * @return the number of events handed over
     */
    int fetch(Consumer<ChangeEvent> out, int budget, Duration wait) throws InterruptedException {
        int n = 0;
        while (n < budget && !finished) {
            AssembledRecord record = assembler.poll();
            if (record != null) {
                n += handle(record, out);
                continue;
            }
            Object next = received.pollFirst();
            if (next == null) {
                if (n > 0 || session.poll(sink, MESSAGES_PER_POLL, wait) == 0) {
                    break;
                }
                continue;
            }
            if (next instanceof SessionStart start) {
                onSessionStart(start);
            } else {
                accept((byte[]) next);
            }
        }
        return n;
    }

    private int handle(AssembledRecord record, Consumer<ChangeEvent> out) {
        if (record instanceof TransactionCommitted committed) {
            if (stopLsn != 0
                    && Long.compareUnsigned(committed.transaction().commitLsn(), stopLsn) >= 0) {
                finish("a transaction committing at or after the stop LSN");
                return 0;
            }
            progress.safeAfterFetchedRecords(committed.safeConfirmLsn());
            return 0;
        }
        ChangeEvent event = (ChangeEvent) record;
        ChangePosition position = event.position();
        if (stopLsn != 0 && Long.compareUnsigned(position.commitLsn(), stopLsn) >= 0) {
            finish("a change committing at or after the stop LSN");
            return 0;
        }
        if (skipThrough != null && position.compareTo(skipThrough) <= 0) {
            return 0;
        }
        event = tables.select(event);
        if (event == null) {
            lastFetched = position;
            return 0;
        }
        if (!handOver.isEmpty()) {
            if (handOver.retiredAt(position.commitLsn())) {
                LOG.info(
                        "Split {}: the stream passed every resumed snapshot chunk's LSN at {};"
                                + " nothing is dropped from here on",
                        splitId(),
                        Lsn.of(position.commitLsn()));
                handOver = HandOverFilter.NONE;
            } else {
                event = handOver.apply(event);
                if (event == null) {
                    lastFetched = position;
                    return 0;
                }
            }
        }
        out.accept(event);
        progress.recordFetched();
        lastFetched = position;
        if (event.transaction().commitTime() != 0) {
            lastFetchedCommitMicros = event.transaction().commitTime();
        }
        return 1;
    }

    private void accept(byte[] copyData) {
        if (CopyDataHeaders.isKeepalive(copyData)) {
            long walEnd = CopyDataHeaders.walEnd(copyData);
            progress.safeAfterFetchedRecords(assembler.keepaliveConfirmLsn(walEnd));
            if (stopLsn != 0
                    && Long.compareUnsigned(walEnd, stopLsn) >= 0
                    && !assembler.hasPendingTransactions()) {
                finish("the server's WAL end passed the stop LSN with nothing pending");
            }
            return;
        }
        assembler.accept((XLogData) ReplicationFrameDecoder.decode(copyData));
    }

    private void onSessionStart(SessionStart start) {
        if (start.sessionNumber() > 1) {
            // The new walsender session replays everything after the confirmed LSN: forget the
            // old session's partial state and skip what this reader already handed out.
            assembler.reset();
            if (lastFetched != null
                    && (skipThrough == null || lastFetched.compareTo(skipThrough) > 0)) {
                skipThrough = lastFetched;
            }
            LOG.info(
                    "Split {}: new walsender session {} from {}; skipping changes through {}",
                    splitId(),
                    start.sessionNumber(),
                    start.startLsn(),
                    skipThrough);
        }
    }

    private void finish(String why) {
        finished = true;
        LOG.info("Split {} reached its stop LSN {}: {}", splitId(), Lsn.of(stopLsn), why);
    }

    @Override
    public void close() {
        try {
            session.close();
        } finally {
            assembler.close();
        }
    }
}
