package io.pgwalstream.flink.source.reader;

import io.pgwalstream.replication.PgConnectionConfig;
import io.pgwalstream.replication.PgConnections;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Asks the server where its WAL ends and how much WAL each watched slot keeps on disk ({@code
 * current WAL position − restart_lsn}). The walsender cannot tell: its messages carry the position
 * it has sent, not the server's. It runs on its own thread and SQL connection at a modest interval,
 * so the replication I/O threads and the fetcher never wait for a query.
 */
final class ServerWalPoller implements AutoCloseable {

    /** Gauge value until the first successful poll, or for a slot the server no longer has. */
    static final long UNKNOWN = -1;

    private static final Logger LOG = LoggerFactory.getLogger(ServerWalPoller.class);
    // A standby has no current WAL position of its own; its replay position plays that part.
    private static final String QUERY =
            "WITH w AS (SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()"
                    + " ELSE pg_current_wal_lsn() END AS lsn)"
                    + " SELECT pg_wal_lsn_diff(w.lsn, '0/0')::bigint, s.slot_name,"
                    + " pg_wal_lsn_diff(w.lsn, s.restart_lsn)::bigint, s.safe_wal_size,"
                    + " s.wal_status"
                    + " FROM w LEFT JOIN pg_replication_slots s ON s.slot_name = ANY (?)";
    private static final int QUERY_TIMEOUT_SECONDS = 10;

    /**
     * The query timeout cancels a slow query, which needs a live peer; this socket timeout gives up
     * a connection whose peer went silent (a cancel request could not reach it either).
     */
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(3L * QUERY_TIMEOUT_SECONDS);

    private final PgConnectionConfig connection;
    private final Duration interval;
    private final Set<String> slots = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> retainedBytes = new ConcurrentHashMap<>();
    private final Map<String, Long> safeBytes = new ConcurrentHashMap<>();
    // Poller thread only: the last wal_status seen per slot, to warn once per change.
    private final Map<String, String> walStatus = new HashMap<>();
    private volatile long serverWalLsn;
    private ScheduledExecutorService executor;
    private boolean closed;
    // Poller thread only.
    private Connection sql;
    private boolean failing;

    /**
     * @param interval time between polls; zero or negative disables polling
     */
    ServerWalPoller(PgConnectionConfig connection, Duration interval) {
        this.connection = connection;
        this.interval = interval;
    }

    /** Starts polling {@code slot} (and starts the poller thread with the first slot). */
    synchronized void watch(String slot) {
        if (closed || interval.isZero() || interval.isNegative()) {
            return;
        }
        slots.add(slot);
        if (executor == null) {
            executor =
                    Executors.newSingleThreadScheduledExecutor(
                            r -> {
                                Thread t = new Thread(r, "pg-walstream-server-wal-poller");
                                t.setDaemon(true);
                                return t;
                            });
            executor.scheduleWithFixedDelay(
                    this::poll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    void unwatch(String slot) {
        slots.remove(slot);
    }

    /** Any thread: the server's WAL position as last polled, 0 before the first poll. */
    long serverWalLsn() {
        return serverWalLsn;
    }

    /**
     * Any thread: the WAL that can still be written before {@code slot} is in danger of being
     * invalidated ({@code safe_wal_size}) as last polled, or {@link #UNKNOWN} (also when {@code
     * max_slot_wal_keep_size} sets no limit).
     */
    long safeWalBytes(String slot) {
        return safeBytes.getOrDefault(slot, UNKNOWN);
    }

    /** Any thread: the WAL bytes {@code slot} retains as last polled, or {@link #UNKNOWN}. */
    long retainedBytes(String slot) {
        return retainedBytes.getOrDefault(slot, UNKNOWN);
    }

    private void poll() {
        if (slots.isEmpty()) {
            return;
        }
        try {
            if (sql == null) {
                sql = PgConnections.openSql(connection, QUERY_TIMEOUT);
            }
            try (PreparedStatement s = sql.prepareStatement(QUERY)) {
                s.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                s.setArray(1, sql.createArrayOf("text", slots.toArray()));
                Set<String> seen = new HashSet<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        serverWalLsn = rs.getLong(1);
                        String slot = rs.getString(2);
                        if (slot != null) {
                            long bytes = rs.getLong(3);
                            retainedBytes.put(slot, rs.wasNull() ? UNKNOWN : bytes);
                            long safe = rs.getLong(4);
                            safeBytes.put(slot, rs.wasNull() ? UNKNOWN : safe);
                            warnOnWalStatus(slot, rs.getString(5));
                            seen.add(slot);
                        }
                    }
                }
                retainedBytes.keySet().retainAll(seen);
                safeBytes.keySet().retainAll(seen);
                walStatus.keySet().retainAll(seen);
            }
            if (failing) {
                LOG.info(
                        "Polling the WAL position and slot retention on {} works again",
                        connection.describe());
                failing = false;
            }
        } catch (SQLException | RuntimeException e) {
            // Metrics must never fail the job; log once per failure streak and retry next time.
            if (!failing) {
                LOG.warn(
                        "Polling the WAL position and slot retention on {} failed; will retry every"
                                + " {} ms",
                        connection.describe(),
                        interval.toMillis(),
                        e);
                failing = true;
            }
            closeConnection();
        }
    }

    /**
     * {@code unreserved}: the slot holds more WAL than {@code max_slot_wal_keep_size} allows, and
     * the next checkpoint invalidates it unless it catches up; {@code lost}: it happened.
     */
    private void warnOnWalStatus(String slot, String status) {
        String before = walStatus.put(slot, status);
        if (status == null || status.equals(before)) {
            return;
        }
        if ("unreserved".equals(status)) {
            LOG.warn(
                    "Replication slot '{}' on {} retains more WAL than max_slot_wal_keep_size"
                            + " allows (wal_status = unreserved): the server invalidates it at its"
                            + " next checkpoint unless the job catches up and confirms a newer"
                            + " position. Checkpoints must complete for positions to be confirmed.",
                    slot,
                    connection.describe());
        } else if ("lost".equals(status)) {
            LOG.error(
                    "Replication slot '{}' on {} lost WAL it needs (wal_status = lost): it is"
                            + " invalidated, see the job's error for the way out",
                    slot,
                    connection.describe());
        }
    }

    private void closeConnection() {
        if (sql != null) {
            try {
                sql.close();
            } catch (SQLException e) {
                LOG.debug("Closing the WAL poller connection failed", e);
            }
            sql = null;
        }
    }

    @Override
    public void close() {
        ScheduledExecutorService running;
        synchronized (this) {
            closed = true;
            running = executor;
        }
        if (running == null) {
            return;
        }
        running.shutdownNow();
        try {
            if (!running.awaitTermination(QUERY_TIMEOUT_SECONDS + 5, TimeUnit.SECONDS)) {
                LOG.warn("The WAL poller did not stop in time");
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        closeConnection();
    }
}
