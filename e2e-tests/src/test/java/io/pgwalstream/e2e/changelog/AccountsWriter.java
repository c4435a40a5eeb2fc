package io.pgwalstream.e2e.changelog;

import io.pgwalstream.e2e.cluster.Waiting;
import io.pgwalstream.testing.postgres.PostgresServer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes random transactions into a table {@code accounts(id int PRIMARY KEY, version int NOT NULL,
 * note text)} on a background thread: inserts of new keys, updates that raise {@code version} by
 * one (some also move the row to a new key), deletes; every eighth transaction is rolled back.
 *
 * <p>Unlike {@link ChangeWriter} it is no oracle: the case checks the job's output against the
 * table itself. It only remembers which keys exist, to pick rows that its statements change, and
 * counts what it did. Now and then an operation changes the row the previous one of the same
 * transaction changed, so that the order of rows within a transaction matters.
 */
public final class AccountsWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AccountsWriter.class);

    private final Random random;
    private final Connection connection;
    private final ScheduledExecutorService thread;
    private final LiveKeys live;
    private int nextId;
    private int committed;
    private int rolledBack;
    private final Map<String, Integer> operations = new HashMap<>();
    private volatile Throwable failure;

    private AccountsWriter(
            PostgresServer server, String database, long seed, int firstId, int lastId)
            throws SQLException {
        this.random = new Random(seed);
        this.connection = server.connect(database);
        connection.setAutoCommit(false);
        this.live = new LiveKeys();
        for (int id = firstId; id <= lastId; id++) {
            live.add(id);
        }
        this.nextId = lastId + 1;
        this.thread =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "accounts-writer");
                            t.setDaemon(true);
                            return t;
                        });
    }

    /**
     * Starts writing one transaction every {@code period}.
     *
     * @param firstId the smallest key the table holds; it holds every key up to {@code lastId}
     * @param lastId the largest key the table holds; new keys come after it
     */
    public static AccountsWriter start(
            PostgresServer server,
            String database,
            long seed,
            int firstId,
            int lastId,
            Duration period)
            throws SQLException {
        AccountsWriter writer = new AccountsWriter(server, database, seed, firstId, lastId);
        writer.thread.scheduleAtFixedRate(
                writer::writeOneTransaction, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        return writer;
    }

    private void writeOneTransaction() {
        if (failure != null) {
            return;
        }
        try {
            int number = committed + rolledBack + 1;
            // Undo of the key bookkeeping, for a rollback.
            Deque<Runnable> undo = new ArrayDeque<>();
            List<String> done = new ArrayList<>();
            int ops = 1 + random.nextInt(3);
            Integer last = null;
            for (int i = 0; i < ops; i++) {
                boolean again = last != null && live.contains(last) && random.nextInt(3) == 0;
                last = writeOneChange(again ? last : null, undo, done);
            }
            if (number % 8 == 0) {
                connection.rollback();
                undo.forEach(Runnable::run);
                synchronized (this) {
                    rolledBack++;
                }
                return;
            }
            connection.commit();
            synchronized (this) {
                committed++;
                done.forEach(op -> operations.merge(op, 1, Integer::sum));
            }
        } catch (Throwable t) {
            LOG.error("The accounts writer failed", t);
            failure = t;
        }
    }

    /**
     * One statement; returns the key of the row it left, or null for a delete.
     *
     * @param key the row to change, or null for a random choice
     */
    private Integer writeOneChange(Integer key, Deque<Runnable> undo, List<String> done)
            throws SQLException {
        int choice = live.size() < 10 ? 0 : random.nextInt(100);
        if (key == null && choice < 25) {
            int id = nextId++;
            execute(
                    "INSERT INTO accounts (id, version, note) VALUES (?, ?, ?)",
                    id,
                    random.nextInt(5),
                    "inserted");
            live.add(id);
            undo.push(() -> live.remove(id));
            done.add("insert");
            return id;
        }
        int id = key != null ? key : live.random(random);
        if (choice < 60) {
            execute("UPDATE accounts SET version = version + 1 WHERE id = ?", id);
            done.add("update");
            return id;
        }
        if (choice < 75) {
            int to = nextId++;
            execute(
                    "UPDATE accounts SET id = ?, version = version + 1, note = 'moved' WHERE id ="
                            + " ?",
                    to,
                    id);
            live.remove(id);
            live.add(to);
            undo.push(
                    () -> {
                        live.remove(to);
                        live.add(id);
                    });
            done.add("move");
            return to;
        }
        execute("DELETE FROM accounts WHERE id = ?", id);
        live.remove(id);
        undo.push(() -> live.add(id));
        done.add("delete");
        return null;
    }

    private void execute(String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            if (statement.executeUpdate() != 1) {
                throw new IllegalStateException("Not exactly one row changed by: " + sql);
            }
        }
    }

    public synchronized int committedTransactions() {
        return committed;
    }

    public synchronized int rolledBackTransactions() {
        return rolledBack;
    }

    /** Committed statements by kind: insert, update, move (a key-moving update), delete. */
    public synchronized Map<String, Integer> committedOperations() {
        return Map.copyOf(operations);
    }

    /** Waits until {@code more} transactions beyond the current count are committed. */
    public void awaitMoreTransactions(int more, Duration timeout) throws TimeoutException {
        int target = committedTransactions() + more;
        Waiting.until(
                target + " committed transactions",
                timeout,
                () -> {
                    checkHealthy();
                    return committedTransactions() >= target;
                },
                () -> committedTransactions() + " committed");
    }

    /** Stops writing (the transaction under way completes first). */
    public void stop() throws InterruptedException {
        thread.shutdown();
        if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("The accounts writer did not stop");
        }
        close();
        checkHealthy();
        LOG.info(
                "Committed {} transactions ({}), rolled back {}",
                committedTransactions(),
                committedOperations(),
                rolledBackTransactions());
    }

    private void checkHealthy() {
        if (failure != null) {
            throw new IllegalStateException("The accounts writer failed", failure);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("Closing the writer's connection: {}", e.getMessage());
        }
    }

    /** A set of keys with a uniformly random pick. */
    private static final class LiveKeys {
        private final List<Integer> keys = new ArrayList<>();
        private final Map<Integer, Integer> index = new HashMap<>();

        void add(int key) {
            if (index.putIfAbsent(key, keys.size()) != null) {
                throw new IllegalStateException("Key " + key + " is already live");
            }
            keys.add(key);
        }

        void remove(int key) {
            Integer at = index.remove(key);
            if (at == null) {
                throw new IllegalStateException("Key " + key + " is not live");
            }
            int lastKey = keys.remove(keys.size() - 1);
            if (at < keys.size()) {
                keys.set(at, lastKey);
                index.put(lastKey, at);
            }
        }

        boolean contains(int key) {
            return index.containsKey(key);
        }

        int random(Random random) {
            return keys.get(random.nextInt(keys.size()));
        }

        int size() {
            return keys.size();
        }
    }
}
