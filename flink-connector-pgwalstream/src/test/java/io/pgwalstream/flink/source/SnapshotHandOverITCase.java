package io.pgwalstream.flink.source;

import io.pgwalstream.changes.ChangeEvent;
import io.pgwalstream.protocol.TupleData;
import io.pgwalstream.replication.ReconnectPolicy;
import io.pgwalstream.replication.TableName;
import io.pgwalstream.testing.postgres.EveryPostgresVersion;
import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresTest;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The initial snapshot of a 100k-row table on a MiniCluster, read by two readers while a writer
 * inserts, updates (also keys), deletes and rolls back: the output, replayed strictly, is every row
 * once and every later change once, checked against what PostgreSQL committed. Every update raises
 * the row's {@code version}, so a change emitted twice or lost breaks the chain of versions, and a
 * rolled-back change shows as a row or version that never existed.
 */
@PostgresTest
@Timeout(600)
class SnapshotHandOverITCase {

    private static final int ROWS = 100_000;
    private static final int MARKER = -1;

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    @EveryPostgresVersion
    void snapshotThenStreamUnderConcurrentWritesEmitsEveryRowAndChangeOnce(PostgresServer pg)
            throws Exception {
        SourceTestDatabase db = SourceTestDatabase.create(pg, "snapshot_handover");
        db.sql(
                "CREATE TABLE accounts (id int PRIMARY KEY, version int NOT NULL, note text)",
                "ALTER TABLE accounts REPLICA IDENTITY FULL",
                "CREATE PUBLICATION pub_accounts FOR TABLE accounts",
                "INSERT INTO accounts SELECT g, 0, 'row ' || g FROM generate_series(1, "
                        + ROWS
                        + ") g",
                "ANALYZE accounts");

        PgWalStreamSource<String> source =
                PgWalStreamSource.<String>builder()
                        .connection(db.config())
                        .slotGroup(
                                db.slot(0),
                                "pub_accounts",
                                List.of(TableName.of("public", "accounts")))
                        .createSlots(true)
                        .binary(true)
                        .reconnectPolicy(ReconnectPolicy.DEFAULT)
                        .statusInterval(Duration.ofSeconds(1))
                        .startWithSnapshot()
                        .snapshotChunks(2_000, null)
                        .deserializer(new VersionedRows())
                        .build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(200);

        Writer writer = new Writer(db, 7);
        Map<Integer, Integer> replayed = new HashMap<>();
        long snapshotRows = 0;
        long changes = 0;
        try (CloseableIterator<String> it =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "pg-walstream")
                        .executeAndCollect("snapshot-handover")) {
            writer.start();
            boolean markerSeen = false;
            while (!markerSeen && it.hasNext()) {
                String[] f = it.next().split("\\|", -1);
                switch (f[0]) {
                    case "S":
                        snapshotRows++;
                        assertThat(replayed.put(id(f[1]), version(f[2])))
                                .as("snapshot row %s emitted once", f[1])
                                .isNull();
                        if (snapshotRows == ROWS / 2) {
                            writer.finishAfter(300);
                        }
                        break;
                    case "I":
                        changes++;
                        if (id(f[1]) == MARKER) {
                            markerSeen = true;
                            break;
                        }
                        assertThat(replayed.put(id(f[1]), version(f[2])))
                                .as("insert of %s: the key is new", f[1])
                                .isNull();
                        break;
                    case "U":
                        changes++;
                        Integer old = replayed.remove(id(f[1]));
                        assertThat(old).as("update of %s: the old row exists", f[1]).isNotNull();
                        assertThat(old)
                                .as("update of %s: old version", f[1])
                                .isEqualTo(version(f[2]));
                        assertThat(version(f[4]))
                                .as("update of %s: the next version", f[1])
                                .isEqualTo(old + 1);
                        assertThat(replayed.put(id(f[3]), version(f[4])))
                                .as("update %s -> %s: the new key is free", f[1], f[3])
                                .isNull();
                        break;
                    case "D":
                        changes++;
                        assertThat(replayed.remove(id(f[1])))
                                .as("delete of %s at version %s", f[1], f[2])
                                .isEqualTo(version(f[2]));
                        break;
                    default:
                        throw new AssertionError("Unexpected record " + String.join("|", f));
                }
            }
            assertThat(markerSeen).as("the marker written after the writer stopped").isTrue();
        } finally {
            writer.stop();
        }
        writer.rethrow();

        assertThat(snapshotRows).isGreaterThan(ROWS / 2);
        assertThat(writer.committed()).as("the writer ran during the snapshot").isGreaterThan(50);
        assertThat(changes).isGreaterThan(0);
        Map<Integer, Integer> actual = new HashMap<>();
        try (Connection c = pg.connect(db.name());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, version FROM accounts WHERE id <> -1")) {
            while (rs.next()) {
                actual.put(rs.getInt(1), rs.getInt(2));
            }
        }
        assertThat(replayed).as("the replayed output equals the table").isEqualTo(actual);
        // Nothing of the snapshot is left on the server: no temporary slot, no open snapshot.
        assertThat(
                        db.queryString(
                                "SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE '"
                                        + db.slot(0)
                                        + "_snap_%'"))
                .isEqualTo("0");
    }

    private static int id(String text) {
        return Integer.parseInt(text);
    }

    private static int version(String text) {
        return Integer.parseInt(text);
    }

    /**
     * {@code S|id|version} for snapshot rows, {@code I|id|version}, {@code U|oldId|oldVersion|
     * newId|newVersion}, {@code D|id|version}; values in the binary form (snapshot and stream).
     */
    static final class VersionedRows implements ChangeEventDeserializer<String> {
        @Override
        public void deserialize(ChangeEvent event, Collector<String> out) {
            switch (event.kind()) {
                case SNAPSHOT:
                    out.collect("S|" + row(event.after()));
                    break;
                case INSERT:
                    out.collect("I|" + row(event.after()));
                    break;
                case UPDATE:
                    out.collect("U|" + row(event.before()) + "|" + row(event.after()));
                    break;
                case DELETE:
                    out.collect("D|" + row(event.before()));
                    break;
                default:
                    break;
            }
        }

        private static String row(TupleData tuple) {
            return int4(tuple, 0) + "|" + int4(tuple, 1);
        }

        private static int int4(TupleData tuple, int column) {
            byte[] bytes = tuple.valueBytes(column);
            if (tuple.kind(column) == io.pgwalstream.protocol.ColumnKind.TEXT) {
                return Integer.parseInt(new String(bytes, StandardCharsets.UTF_8));
            }
            return ByteBuffer.wrap(bytes).getInt();
        }

        @Override
        public TypeInformation<String> getProducedType() {
            return Types.STRING;
        }
    }

    /**
     * Random transactions against {@code accounts}: inserts of new keys, updates (a tenth of them
     * moving the key), deletes, a fifth rolled back. Stops a given number of transactions after
     * {@link #finishAfter}, then writes the marker row.
     */
    private static final class Writer {
        private final SourceTestDatabase db;
        private final Random random;
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private volatile int remaining = Integer.MAX_VALUE;
        private volatile long committed;
        private Thread thread;

        Writer(SourceTestDatabase db, long seed) {
            this.db = db;
            this.random = new Random(seed);
        }

        void start() {
            thread = new Thread(this::run, "snapshot-writer");
            thread.start();
        }

        void finishAfter(int transactions) {
            remaining = Math.min(remaining, transactions);
        }

        long committed() {
            return committed;
        }

        private void run() {
            List<Integer> live = new ArrayList<>();
            for (int i = 1; i <= ROWS; i++) {
                live.add(i);
            }
            int nextKey = ROWS + 1;
            try (Connection c = db.pg().connect(db.name());
                    Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                while (!stopped.get() && remaining-- > 0) {
                    boolean rollback = random.nextInt(5) == 0;
                    List<Integer> added = new ArrayList<>();
                    List<Integer> removed = new ArrayList<>();
                    int ops = 1 + random.nextInt(4);
                    for (int op = 0; op < ops; op++) {
                        int choice = random.nextInt(10);
                        if (choice < 3 || live.size() < 10) {
                            int key = nextKey++;
                            s.execute("INSERT INTO accounts VALUES (" + key + ", 0, 'new')");
                            added.add(key);
                        } else {
                            Integer key = live.get(random.nextInt(live.size()));
                            if (removed.contains(key)) {
                                continue;
                            }
                            if (choice < 8) {
                                s.execute(
                                        "UPDATE accounts SET version = version + 1 WHERE id = "
                                                + key);
                            } else if (choice < 9) {
                                int moved = nextKey++;
                                s.execute(
                                        "UPDATE accounts SET id = "
                                                + moved
                                                + ", version = version + 1 WHERE id = "
                                                + key);
                                removed.add(key);
                                added.add(moved);
                            } else {
                                s.execute("DELETE FROM accounts WHERE id = " + key);
                                removed.add(key);
                            }
                        }
                    }
                    if (rollback) {
                        c.rollback();
                    } else {
                        c.commit();
                        committed++;
                        live.removeAll(removed);
                        live.addAll(added);
                    }
                }
                c.setAutoCommit(true);
                s.execute("INSERT INTO accounts VALUES (" + MARKER + ", 0, 'marker')");
            } catch (Throwable t) {
                failure.set(t);
            }
        }

        void stop() throws InterruptedException {
            stopped.set(true);
            if (thread != null) {
                thread.join(60_000);
            }
        }

        void rethrow() {
            if (failure.get() != null) {
                throw new AssertionError("The writer failed", failure.get());
            }
        }
    }
}
