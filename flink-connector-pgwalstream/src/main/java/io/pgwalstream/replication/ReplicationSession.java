package io.pgwalstream.replication;

import io.pgwalstream.protocol.CopyDataHeaders;
import io.pgwalstream.protocol.Lsn;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyDual;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A replication session, logical or physical: one I/O thread owns the pgjdbc connection and its
 * CopyBoth channel, reads raw CopyData payloads and hands them to the consumer through a bounded
 * {@link MessageHandover}. What is streamed and how it starts is a {@link StreamStarter}.
 *
 * <p>Why our own loop instead of pgjdbc's {@code PGReplicationStream}: that stream hides keepalives
 * (so their WAL end cannot be used to confirm idle slots) and by default confirms the keepalive WAL
 * end as flushed on its own, which can acknowledge a transaction before Flink has it. Here the
 * flush LSN sent is only ever {@link LsnFeedback#flushed()}.
 *
 * <p>When the consumer stops taking, the I/O thread stops reading — the server then stops sending —
 * but keeps sending status updates every status interval (at most a third of {@code
 * wal_sender_timeout}), so a stalled consumer never costs the connection. Transient failures
 * reconnect with backoff and restart from the last confirmed LSN; the consumer is told through
 * {@link MessageSink#onSessionStart}. Permanent failures end the session: the consumer's next
 * {@link #poll} throws them.
 */
public final class ReplicationSession implements ReplicationStream {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicationSession.class);

    /**
     * A batch is what one blocking read brought plus what pgjdbc had buffered behind it; these caps
     * keep it small next to the hand-over's bounds, which it may overshoot by one batch.
     */
    private static final int MAX_BATCH_MESSAGES = 256;

    private static final long MAX_BATCH_BYTES = 1L << 20;

    private final PgConnectionConfig config;
    private final StreamStarter starter;
    private final Duration configuredStatusInterval;
    private final ReconnectPolicy reconnectPolicy;
    private final SessionSettings settings;
    private final LsnFeedback feedback;
    private final StatusReports statusReports;
    private final MessageHandover handover;
    private final Thread ioThread;
    private final CountDownLatch firstSession = new CountDownLatch(1);

    private volatile boolean closing;
    private volatile RuntimeException failure;
    // Written by the I/O thread only; read by anyone for status.
    private volatile long receivedLsn;
    private volatile long serverWalEnd;
    private volatile long confirmedLsn;
    private volatile int sessions;
    // Written by the I/O thread only: when the slot was first found held by another walsender.
    private final SlotReleaseWait slotReleaseWait;
    private volatile int failures;

    private ReplicationSession(
            PgConnectionConfig config,
            StreamStarter starter,
            Duration statusInterval,
            ReconnectPolicy reconnectPolicy,
            SessionSettings settings,
            LsnFeedback feedback) {
        this.config = config;
        this.starter = starter;
        this.configuredStatusInterval = statusInterval;
        this.reconnectPolicy = reconnectPolicy;
        this.settings = settings;
        this.slotReleaseWait = new SlotReleaseWait(settings.slotReleaseWait());
        this.feedback = feedback;
        this.statusReports = new StatusReports(feedback);
        this.handover = new MessageHandover(settings.bufferMessages(), settings.bufferBytes());
        this.ioThread = new Thread(this::run, "pg-walstream-io " + starter.description());
        this.ioThread.setDaemon(true);
        feedback.onAdvance(handover::wakeProducer);
    }

    /** Starts logical streaming; the I/O thread connects and streams in the background. */
    public static ReplicationSession logical(
            PgConnectionConfig config,
            LogicalStreamSpec spec,
            ReconnectPolicy reconnectPolicy,
            SessionSettings settings,
            LsnFeedback feedback) {
        return start(
                new ReplicationSession(
                        config,
                        new LogicalStreamStarter(spec),
                        spec.statusInterval(),
                        reconnectPolicy,
                        settings,
                        feedback));
    }

    /**
     * Starts physical streaming (raw WAL, for archiving and point-in-time recovery); the I/O thread
     * connects and streams in the background. Messages are XLogData chunks whose payload is WAL
     * from {@code dataStart} on, contiguous within a session, and keepalives. Each {@link
     * SessionStart} names the timeline of the WAL that follows it: when the resume point lies on a
     * timeline the server has left, that timeline is streamed up to its switch point, then a new
     * session continues at the switch point on the next timeline. The flushed LSN of {@code
     * feedback} becomes the physical slot's {@code restart_lsn}.
     */
    public static ReplicationSession physical(
            PgConnectionConfig config,
            PhysicalStreamSpec spec,
            ReconnectPolicy reconnectPolicy,
            SessionSettings settings,
            LsnFeedback feedback) {
        return start(
                create(
                        config,
                        new PhysicalStreamStarter(spec),
                        spec.statusInterval(),
                        reconnectPolicy,
                        settings,
                        feedback));
    }

    static ReplicationSession start(ReplicationSession session) {
        session.ioThread.start();
        return session;
    }

    static ReplicationSession create(
            PgConnectionConfig config,
            StreamStarter starter,
            Duration statusInterval,
            ReconnectPolicy reconnectPolicy,
            SessionSettings settings,
            LsnFeedback feedback) {
        return new ReplicationSession(
                config, starter, statusInterval, reconnectPolicy, settings, feedback);
    }

    /**
     * Waits until the first walsender session streams.
     *
     * @return false on timeout
     * @throws ReplicationException if the session failed permanently before streaming
     */
    public boolean awaitStreaming(Duration timeout) throws InterruptedException {
        boolean streaming = firstSession.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (failure != null && sessions == 0) {
            throw failure;
        }
        return streaming;
    }

    @Override
    public int poll(MessageSink sink, int maxMessages, Duration timeout)
            throws InterruptedException {
        return handover.poll(sink, maxMessages, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public LsnFeedback feedback() {
        return feedback;
    }

    @Override
    public SessionStatus status() {
        return new SessionStatus(
                Lsn.of(receivedLsn),
                Lsn.of(serverWalEnd),
                Lsn.of(confirmedLsn),
                sessions,
                failures,
                handover.bufferedMessages(),
                handover.bufferedBytes());
    }

    @Override
    public void close() {
        closing = true;
        handover.wakeProducer();
        try {
            ioThread.join(settings.readTimeout().toMillis() * 5 + 5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ioThread.isAlive()) {
            LOG.warn("The I/O thread of {} did not stop in time", starter.description());
            ioThread.interrupt();
        }
    }

    // ------------------------------------------------------------------ I/O thread

    private void run() {
        Backoff backoff =
                new Backoff(
                        reconnectPolicy,
                        () -> ThreadLocalRandom.current().nextDouble(),
                        System::currentTimeMillis);
        try {
            while (!closing) {
                try {
                    streamOneSession(backoff);
                } catch (Exception e) {
                    if (closing) {
                        break;
                    }
                    if (!retryAfter(e, backoff)) {
                        break;
                    }
                }
            }
        } catch (Throwable fatal) {
            endWith(
                    new ReplicationException(
                            "The replication I/O thread of "
                                    + starter.description()
                                    + " died: "
                                    + fatal,
                            fatal));
        } finally {
            firstSession.countDown();
            if (failure == null) {
                endWith(
                        new ReplicationException(
                                "The replication session of "
                                        + starter.description()
                                        + " is closed",
                                null));
            }
        }
    }

    private void streamOneSession(Backoff backoff) throws Exception {
        PGConnection pg = starter.connect(config, settings.receiveLinger());
        Connection connection = (Connection) pg;
        try {
            connection.setNetworkTimeout(null, (int) settings.handshakeTimeout().toMillis());
            ServerVersion server =
                    ServerVersion.parse(PgConnections.show(connection, "server_version_num"));
            server.requireSupported();
            Duration walSenderTimeout =
                    SessionSettings.parseServerDuration(
                            PgConnections.show(connection, "wal_sender_timeout"));
            Duration statusInterval =
                    SessionSettings.effectiveStatusInterval(
                            configuredStatusInterval, walSenderTimeout);
            Duration receiveTimeout = settings.effectiveReceiveTimeout(walSenderTimeout);
            StreamStarter.Started started =
                    starter.start(pg, server, feedback.flushed(), sessions > 0);
            int session = ++sessions;
            slotReleaseWait.reset();
            backoff.reset();
            LOG.info(
                    "{} {} on {} (PostgreSQL {}) from {}{}, status every {} ms",
                    session == 1 ? "Streaming" : "Streaming again (session " + session + "):",
                    starter.description(),
                    config.describe(),
                    server,
                    started.startLsn(),
                    started.timeline() > 0 ? " on timeline " + started.timeline() : "",
                    statusInterval.toMillis());
            handover.addSessionStart(
                    new SessionStart(session, started.startLsn(), started.timeline()));
            firstSession.countDown();
            connection.setNetworkTimeout(null, (int) settings.readTimeout().toMillis());
            long startLsn = started.startLsn().value();
            boolean reachedEnd =
                    pump(
                            started.copy(),
                            startLsn,
                            started.endLsn().value(),
                            statusInterval.toNanos(),
                            receiveTimeout);
            sendStatus(started.copy(), startLsn, false); // last word before closing
            if (reachedEnd) {
                // End of a timeline: say so with CopyDone; the next session starts on the next one.
                started.copy().endCopy();
            }
        } finally {
            PgConnections.closeQuietly(connection);
        }
    }

    /**
     * Reads and hands over messages until closing or, when {@code endLsn} is set, until WAL up to
     * it was received; throws on any connection failure. Returns true when the stream must end with
     * CopyDone: its end was reached, or the starter says the server ended it.
     */
    private boolean pump(
            CopyDual copy,
            long startLsn,
            long endLsn,
            long statusIntervalNanos,
            Duration receiveTimeout)
            throws Exception {
        ReceiveWatch watch = new ReceiveWatch(receiveTimeout, System.nanoTime());
        long nextStatusAt = 0; // send one right away: the server learns our position early
        long lastSentFlush = -1;
        boolean replyRequested = false;
        boolean room = true;
        List<byte[]> batch = new ArrayList<>(MAX_BATCH_MESSAGES);
        // Per session: a new session (reconnect, next timeline) starts counting at its start.
        long sessionReceived = startLsn;
        long quietSince = System.nanoTime();
        receivedLsn = startLsn;
        while (!closing) {
            long now = System.nanoTime();
            long flushed = statusReports.flushToSend(startLsn);
            if (replyRequested || now - nextStatusAt >= 0 || flushed != lastSentFlush) {
                sendStatus(copy, startLsn, false);
                lastSentFlush = flushed;
                replyRequested = false;
                nextStatusAt = now + statusIntervalNanos;
            }
            if (!room) {
                // Back-pressure: stop reading, wake for room, a new flush LSN or the next status.
                room = handover.awaitRoom(nextStatusAt);
                watch.resumedReading(System.nanoTime());
                continue;
            }
            byte[] message;
            try {
                message = copy.readFromCopy(true);
            } catch (SQLException e) {
                if (!PgConnections.isReadTimeout(e)) {
                    throw e;
                }
                long afterRead = System.nanoTime();
                switch (watch.afterEmptyRead(afterRead)) {
                    case DEAD:
                        throw watch.deadConnection(afterRead);
                    case ASK_FOR_REPLY:
                        sendStatus(copy, startLsn, true);
                        break;
                    default:
                        break;
                }
                if (endLsn == 0 && now - quietSince >= statusIntervalNanos) {
                    quietSince = now; // ask at most once per quiet status interval
                    if (serverEndedStream()) {
                        return true;
                    }
                }
                continue;
            }
            quietSince = System.nanoTime();
            watch.heard(quietSince);
            // Take what pgjdbc already buffered along with it, and hand it all over with one
            // wake-up of the consumer instead of one per message.
            batch.clear();
            long batchBytes = 0;
            int batchMessages = Math.min(MAX_BATCH_MESSAGES, handover.freeMessages());
            long batchByteLimit = Math.min(MAX_BATCH_BYTES, handover.freeBytes());
            boolean reachedEnd = false;
            while (true) {
                if (message == null) {
                    throw new SQLException("The server ended the replication stream", "08006");
                }
                long end = starter.receivedEnd(message);
                if (Long.compareUnsigned(end, sessionReceived) > 0) {
                    sessionReceived = end;
                    receivedLsn = end;
                }
                long walEnd = CopyDataHeaders.walEnd(message);
                if (CopyDataHeaders.isKeepalive(message)) {
                    serverWalEnd = walEnd;
                    replyRequested |= CopyDataHeaders.replyRequested(message);
                } else if (Long.compareUnsigned(walEnd, serverWalEnd) > 0) {
                    serverWalEnd = walEnd;
                }
                batch.add(message);
                batchBytes += message.length;
                reachedEnd = endLsn != 0 && Long.compareUnsigned(sessionReceived, endLsn) >= 0;
                if (reachedEnd
                        || replyRequested
                        || batch.size() >= batchMessages
                        || batchBytes >= batchByteLimit) {
                    break;
                }
                message = copy.readFromCopy(false); // null: nothing buffered, no waiting
                if (message == null) {
                    break;
                }
            }
            room = handover.addAll(batch);
            if (reachedEnd) {
                return true;
            }
        }
        return false;
    }

    /** Asks the starter; a failing check only costs the check, never the stream. */
    private boolean serverEndedStream() {
        try {
            return starter.serverEndedStream(config);
        } catch (SQLException | RuntimeException e) {
            LOG.warn(
                    "Could not check whether the server ended the stream of {}: {}",
                    starter.description(),
                    e.getMessage());
            return false;
        }
    }

    private void sendStatus(CopyDual copy, long startLsn, boolean askForReply) throws SQLException {
        long flushed = statusReports.send(copy, startLsn, receivedLsn, askForReply);
        if (flushed != 0) {
            confirmedLsn = flushed;
        }
    }

    private boolean retryAfter(Exception failure, Backoff backoff) throws InterruptedException {
        if (failure instanceof ReplicationException replication) {
            endWith(replication);
            return false;
        }
        FailureClassifier.Classification c =
                FailureClassifier.classify(
                        failure,
                        sessions > 0
                                || slotReleaseWait.mayBeReleasedSoon(failure, System.nanoTime()));
        String what = starter.description() + " on " + config.describe() + ": " + c.advice();
        if (!c.transientFailure()) {
            SlotInvalidatedException invalidated =
                    SlotErrors.OBJECT_NOT_IN_PREREQUISITE_STATE.equals(c.sqlState())
                                    && starter.slotName() != null
                            ? SlotInvalidationCheck.lookUp(config, starter.slotName(), failure)
                            : null;
            if (invalidated != null) {
                endWith(invalidated);
                return false;
            }
            endWith(
                    new ReplicationException(
                            "Replication failed for " + what + " (" + failure.getMessage() + ")",
                            c.sqlState(),
                            failure));
            return false;
        }
        failures++;
        OptionalLong delay = backoff.nextDelayMillis();
        if (delay.isEmpty()) {
            endWith(
                    new ReplicationException(
                            "Gave up reconnecting "
                                    + what
                                    + " after "
                                    + backoff.attempts()
                                    + " attempts over "
                                    + backoff.elapsed().toSeconds()
                                    + " s (last error: "
                                    + failure.getMessage()
                                    + ")",
                            c.sqlState(),
                            failure));
            return false;
        }
        LOG.warn(
                "Replication connection lost for {} ({}); reconnecting in {} ms (attempt {} of {})",
                what,
                failure.getMessage(),
                delay.getAsLong(),
                backoff.attempts(),
                reconnectPolicy.maxAttempts());
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay.getAsLong());
        while (!closing && System.nanoTime() - deadline < 0) {
            handover.awaitWakeUp(deadline);
        }
        return !closing;
    }

    private void endWith(RuntimeException e) {
        if (failure == null) {
            failure = e;
            if (!closing) {
                LOG.error(
                        "Replication session of {} ended: {}",
                        starter.description(),
                        e.getMessage());
            }
        }
        handover.fail(e);
        firstSession.countDown();
    }
}
