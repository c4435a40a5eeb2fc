package io.pgwalstream.changes;

import io.pgwalstream.protocol.BeginPrepare;
import io.pgwalstream.protocol.CommitPrepared;
import io.pgwalstream.protocol.PgOutputCapture;
import io.pgwalstream.protocol.PgOutputMessage;
import io.pgwalstream.protocol.PgOutputOptions;
import io.pgwalstream.protocol.Prepare;
import io.pgwalstream.protocol.RollbackPrepared;
import io.pgwalstream.protocol.StreamAbort;
import io.pgwalstream.protocol.StreamCommit;
import io.pgwalstream.protocol.StreamPrepare;
import io.pgwalstream.protocol.StreamStart;
import io.pgwalstream.protocol.StreamingMode;
import io.pgwalstream.protocol.TupleData;
import io.pgwalstream.testing.postgres.EveryPostgresVersion;
import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresTest;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real pgoutput from PostgreSQL 14–18 through the assembler: the assembled events, applied to an
 * empty copy of the tables, must give exactly the tables' committed contents.
 */
@PostgresTest
@Timeout(300)
class TransactionAssemblerITCase {

    @TempDir Path spill;

    @EveryPostgresVersion
    void aStreamedTransactionWithARolledBackSavepointAndAnInterleavedCommit(PostgresServer pg)
            throws SQLException {
        PgOutputOptions options = options(pg, false);
        try (PgOutputCapture capture = new PgOutputCapture(pg, "changes", "streamed", false)) {
            capture.sql(
                    "CREATE TABLE big (id int PRIMARY KEY, payload text, n int)",
                    "CREATE TABLE small (id int PRIMARY KEY, v text)",
                    "CREATE TABLE docs (id int PRIMARY KEY, doc text, n int)",
                    "ALTER TABLE docs REPLICA IDENTITY FULL",
                    "ALTER TABLE docs ALTER COLUMN doc SET STORAGE EXTERNAL",
                    "CREATE PUBLICATION pub FOR TABLE big, small, docs",
                    "INSERT INTO docs VALUES (1, repeat('toasted ', 2000), 0)");
            try (Connection other = capture.newConnection();
                    Statement o = other.createStatement()) {
                capture.sql(
                        "BEGIN",
                        "INSERT INTO big SELECT g, repeat('x', 100), 0 FROM generate_series(1,"
                                + " 2000) g",
                        "SAVEPOINT sp",
                        "INSERT INTO big SELECT g, repeat('y', 100), 0 FROM generate_series(2001,"
                                + " 4000) g",
                        "UPDATE big SET n = 1 WHERE id <= 100",
                        "ROLLBACK TO SAVEPOINT sp",
                        "UPDATE big SET payload = 'updated' WHERE id <= 10",
                        "UPDATE docs SET n = 1");
                // Commits while the big transaction is open: an ordinary transaction between its
                // stream blocks.
                o.execute("INSERT INTO small VALUES (1, 'interleaved')");
                capture.sql(
                        "DELETE FROM big WHERE id > 1990",
                        "INSERT INTO big SELECT g, repeat('z', 100), 2 FROM generate_series(4001,"
                                + " 4500) g",
                        "COMMIT");
            }

            List<PgOutputCapture.Captured> captured = capture.changes(options, "pub");
            List<PgOutputMessage> sent = PgOutputCapture.decode(options, captured);
            assertThat(sent)
                    .as("the big transaction was streamed")
                    .hasAtLeastOneElementOfType(StreamStart.class);
            assertThat(sent)
                    .as("the savepoint's rollback was streamed")
                    .hasAtLeastOneElementOfType(StreamAbort.class);
            assertThat(sent).hasAtLeastOneElementOfType(StreamCommit.class);

            // A small bound, so the streamed transaction also goes through the spill file.
            List<AssembledRecord> records = assemble(options, captured, 256 << 10);
            assertThat(spilledBytes).isPositive();

            Map<String, Map<String, List<String>>> tables = apply(records);
            assertThat(tables.get("big")).isEqualTo(select(capture.connection(), "big"));
            assertThat(tables.get("small")).isEqualTo(select(capture.connection(), "small"));
            assertThat(tables.get("docs")).isEqualTo(select(capture.connection(), "docs"));
            ChangeEvent docUpdate =
                    records.stream()
                            .filter(r -> r instanceof ChangeEvent)
                            .map(r -> (ChangeEvent) r)
                            .filter(e -> e.kind() == ChangeKind.UPDATE)
                            .filter(e -> e.relation().tableName().equals("docs"))
                            .findFirst()
                            .orElseThrow();
            assertThat(docUpdate.afterColumnSource(1))
                    .as("unchanged TOAST taken from the full old row")
                    .isEqualTo(ColumnSource.BEFORE);
            assertThat(tables.get("big")).hasSize(1990 - 0 + 500);
            // PostgreSQL 14 also sends empty transactions (the DDL); leave those out.
            List<Long> nonEmpty = new ArrayList<>();
            for (AssembledRecord r : records) {
                if (r instanceof TransactionCommitted
                        && ((TransactionCommitted) r).eventCount() > 0) {
                    nonEmpty.add(((TransactionCommitted) r).eventCount());
                }
            }
            assertThat(nonEmpty)
                    .as("the docs insert, the interleaved commit, then the big transaction")
                    .hasSize(3)
                    .startsWith(1L, 1L);
            assertPositionsIncrease(records);
        }
    }

    @EveryPostgresVersion
    void preparedTransactionsCommittedRolledBackAndStreamed(PostgresServer pg) throws SQLException {
        assumeTrue(pg.version().major() >= 15, "two-phase decoding needs protocol 3 (PG 15+)");
        PgOutputOptions options = options(pg, true);
        try (PgOutputCapture capture = new PgOutputCapture(pg, "changes", "prepared", true)) {
            capture.sql(
                    "CREATE TABLE big (id int PRIMARY KEY, payload text, n int)",
                    "CREATE TABLE small (id int PRIMARY KEY, v text)",
                    "CREATE PUBLICATION pub FOR TABLE big, small",
                    "BEGIN",
                    "INSERT INTO small VALUES (10, 'prepared, committed')",
                    "PREPARE TRANSACTION 'it-commit'",
                    "BEGIN",
                    "INSERT INTO small VALUES (11, 'prepared, rolled back')",
                    "PREPARE TRANSACTION 'it-rollback'",
                    "BEGIN",
                    "INSERT INTO big SELECT g, repeat('p', 100), 0 FROM generate_series(1, 3000)"
                            + " g",
                    "SAVEPOINT sp",
                    "INSERT INTO big SELECT g, 'gone', 0 FROM generate_series(3001, 3500) g",
                    "ROLLBACK TO SAVEPOINT sp",
                    "PREPARE TRANSACTION 'it-streamed'",
                    "INSERT INTO small VALUES (12, 'ordinary')",
                    "COMMIT PREPARED 'it-commit'",
                    "ROLLBACK PREPARED 'it-rollback'",
                    "COMMIT PREPARED 'it-streamed'");

            List<PgOutputCapture.Captured> captured = capture.changes(options, "pub");
            List<PgOutputMessage> sent = PgOutputCapture.decode(options, captured);
            assertThat(sent).hasAtLeastOneElementOfType(BeginPrepare.class);
            assertThat(sent).hasAtLeastOneElementOfType(StreamPrepare.class);
            assertThat(sent).hasAtLeastOneElementOfType(RollbackPrepared.class);
            long firstPrepareLsn =
                    sent.stream()
                            .filter(m -> m instanceof Prepare)
                            .map(m -> ((Prepare) m).prepareLsn())
                            .findFirst()
                            .orElseThrow();

            List<AssembledRecord> records = assemble(options, captured, 256 << 10);

            Map<String, Map<String, List<String>>> tables = apply(records);
            assertThat(tables.get("small")).isEqualTo(select(capture.connection(), "small"));
            assertThat(tables.get("big")).isEqualTo(select(capture.connection(), "big"));
            assertThat(tables.get("big")).hasSize(3000);
            TransactionCommitted ordinary =
                    records.stream()
                            .filter(r -> r instanceof TransactionCommitted)
                            .map(r -> (TransactionCommitted) r)
                            .filter(c -> !c.transaction().wasPrepared())
                            .findFirst()
                            .orElseThrow();
            assertThat(ordinary.safeConfirmLsn())
                    .as("held back at the oldest unresolved PREPARE")
                    .isEqualTo(firstPrepareLsn);
            assertThat(
                            records.stream()
                                    .filter(r -> r instanceof TransactionCommitted)
                                    .map(r -> r.transaction().gid()))
                    .containsExactly(null, "it-commit", "it-streamed");
            assertPositionsIncrease(records);
        }
    }

    @EveryPostgresVersion
    void aTransactionPreparedBeforeTwoPhaseWasEnabledArrivesWholeAtCommitPrepared(PostgresServer pg)
            throws SQLException {
        assumeTrue(pg.version().major() >= 15, "two-phase decoding needs protocol 3 (PG 15+)");
        PgOutputOptions twoPhase = options(pg, true);
        try (PgOutputCapture capture = new PgOutputCapture(pg, "changes", "late", false)) {
            capture.sql(
                    "CREATE TABLE small (id int PRIMARY KEY, v text)",
                    "CREATE PUBLICATION pub FOR TABLE small",
                    "INSERT INTO small VALUES (1, 'before')",
                    "BEGIN",
                    "INSERT INTO small VALUES (2, 'prepared early')",
                    "PREPARE TRANSACTION 'it-late'");
            // Consumed without two-phase: the slot moves past the PREPARE.
            List<PgOutputCapture.Captured> before = capture.changes(options(pg, false), "pub");
            // Now with two_phase: the slot switches to two-phase at its current position.
            List<PgOutputCapture.Captured> none = capture.changes(twoPhase, "pub");
            capture.sql("COMMIT PREPARED 'it-late'");
            List<PgOutputCapture.Captured> after = capture.changes(twoPhase, "pub");

            assertThat(none).isEmpty();
            List<PgOutputMessage> sent = PgOutputCapture.decode(twoPhase, after);
            assertThat(sent.get(0)).isInstanceOf(BeginPrepare.class);
            assertThat(sent.get(sent.size() - 2)).isInstanceOf(Prepare.class);
            assertThat(sent.get(sent.size() - 1)).isInstanceOf(CommitPrepared.class);

            List<PgOutputCapture.Captured> all = new ArrayList<>(before);
            all.addAll(after);
            List<AssembledRecord> records = assemble(twoPhase, all, 64L << 20);
            assertThat(apply(records).get("small"))
                    .isEqualTo(select(capture.connection(), "small"));
        }
    }

    private static PgOutputOptions options(PostgresServer pg, boolean twoPhase) {
        int proto = pg.version().maxProtoVersion();
        return PgOutputOptions.of(proto)
                .withStreaming(proto >= 4 ? StreamingMode.PARALLEL : StreamingMode.ON)
                .withMessages(true)
                .withTwoPhase(twoPhase);
    }

    /** Bytes the last {@link #assemble} spilled. */
    private long spilledBytes;

    private List<AssembledRecord> assemble(
            PgOutputOptions options, List<PgOutputCapture.Captured> captured, long memoryLimit) {
        List<AssembledRecord> records = new ArrayList<>();
        try (TransactionAssembler assembler =
                new TransactionAssembler(options, new AssemblerSettings(memoryLimit, spill))) {
            for (PgOutputCapture.Captured c : captured) {
                assembler.accept(c.bytes(), 0, c.bytes().length, c.lsn());
                assembler.drainTo(records::add, Integer.MAX_VALUE);
            }
            assertThat(assembler.hasPendingTransactions()).isFalse();
            spilledBytes = assembler.metrics().spilledBytes();
        }
        return records;
    }

    /** Applies the events to empty tables keyed by the first column; values as text. */
    private static Map<String, Map<String, List<String>>> apply(List<AssembledRecord> records) {
        Map<String, Map<String, List<String>>> tables = new TreeMap<>();
        for (AssembledRecord r : records) {
            if (!(r instanceof ChangeEvent)) {
                continue;
            }
            ChangeEvent e = (ChangeEvent) r;
            if (e.kind() == ChangeKind.TRUNCATE || e.kind() == ChangeKind.MESSAGE) {
                continue;
            }
            Map<String, List<String>> table =
                    tables.computeIfAbsent(e.relation().tableName(), t -> new TreeMap<>());
            switch (e.kind()) {
                case INSERT:
                    table.put(e.after().valueAsString(0), row(e, null));
                    break;
                case UPDATE:
                    String oldKey =
                            e.hasBefore()
                                    ? e.before().valueAsString(0)
                                    : e.after().valueAsString(0);
                    List<String> previous = table.remove(oldKey);
                    table.put(e.after().valueAsString(0), row(e, previous));
                    break;
                default:
                    table.remove(e.before().valueAsString(0));
            }
        }
        return tables;
    }

    /** The after row; unchanged TOAST from the full before row, else the value already known. */
    private static List<String> row(ChangeEvent e, List<String> previous) {
        TupleData after = e.after();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < after.columnCount(); i++) {
            switch (e.afterColumnSource(i)) {
                case AFTER:
                    values.add(after.valueAsString(i));
                    break;
                case BEFORE:
                    values.add(e.before().valueAsString(i));
                    break;
                default:
                    values.add(previous.get(i));
            }
        }
        return values;
    }

    private static Map<String, List<String>> select(Connection c, String table)
            throws SQLException {
        Map<String, List<String>> rows = new TreeMap<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getString(i));
                }
                rows.put(row.get(0), row);
            }
        }
        return rows;
    }

    private static void assertPositionsIncrease(List<AssembledRecord> records) {
        ChangePosition previous = null;
        for (AssembledRecord r : records) {
            if (r instanceof ChangeEvent) {
                ChangePosition p = ((ChangeEvent) r).position();
                if (previous != null) {
                    assertThat(p).isGreaterThan(previous);
                }
                previous = p;
            }
        }
    }
}
