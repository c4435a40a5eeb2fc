package io.pgwalstream.protocol;

import io.pgwalstream.testing.postgres.EveryPostgresVersion;
import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresTest;

import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Golden tests: scenarios run on real PostgreSQL 14–18, their pgoutput bytes captured from a slot
 * and decoded, with assertions on the decoded fields. Each version is asked for its highest
 * protocol version.
 */
@PostgresTest
@Timeout(300)
class PgOutputGoldenITCase {

    private static final int INT4 = 23;
    private static final int TEXT = 25;
    private static final int BOOL = 16;

    @EveryPostgresVersion
    void multiRowTransactions(PostgresServer pg) throws SQLException {
        try (PgOutputCapture capture = new PgOutputCapture(pg, "multirow", false)) {
            capture.sql(
                    "CREATE TABLE items (id int PRIMARY KEY, name text, ok bool)",
                    "CREATE PUBLICATION pub FOR TABLE items",
                    "BEGIN",
                    "INSERT INTO items VALUES (1, 'one', true), (2, 'two', false), (3, NULL, NULL)",
                    "COMMIT",
                    "INSERT INTO items VALUES (4, 'four ✓', true)");

            List<PgOutputMessage> messages = capture.decoded(maxOptions(pg), "pub");

            assertThat(tags(messages)).isEqualTo("BRIIICBIC");
            Begin begin = (Begin) messages.get(0);
            Commit commit = (Commit) messages.get(5);
            assertThat(begin.finalLsn()).isEqualTo(commit.commitLsn());
            assertThat(Long.compareUnsigned(commit.endLsn(), commit.commitLsn())).isPositive();
            assertThat(begin.commitTime()).isEqualTo(commit.commitTime());
            assertThat(PgTimestamps.toInstant(commit.commitTime()))
                    .isBetween(
                            java.time.Instant.now().minusSeconds(300),
                            java.time.Instant.now().plusSeconds(5));
            assertThat(begin.xid()).isPositive();

            Relation relation = (Relation) messages.get(1);
            assertThat(relation.namespace()).isEqualTo("public");
            assertThat(relation.relationName()).isEqualTo("items");
            assertThat(relation.replicaIdentity()).isEqualTo(ReplicaIdentity.DEFAULT);
            assertThat(relation.xid()).isEqualTo(StreamableMessage.NO_XID);
            assertThat(relation.columns())
                    .extracting(
                            RelationColumn::name, RelationColumn::typeOid, RelationColumn::flags)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("id", INT4, 1),
                            org.assertj.core.groups.Tuple.tuple("name", TEXT, 0),
                            org.assertj.core.groups.Tuple.tuple("ok", BOOL, 0));

            Insert first = (Insert) messages.get(2);
            assertThat(first.relationOid()).isEqualTo(relation.relationOid());
            assertThat(values(first.newTuple())).containsExactly("1", "one", "t");
            assertThat(values(((Insert) messages.get(3)).newTuple()))
                    .containsExactly("2", "two", "f");
            TupleData third = ((Insert) messages.get(4)).newTuple();
            assertThat(third.kind(1)).isEqualTo(ColumnKind.NULL);
            assertThat(third.kind(2)).isEqualTo(ColumnKind.NULL);
            assertThat(values(((Insert) messages.get(7)).newTuple()))
                    .containsExactly("4", "four ✓", "t");

            Begin second = (Begin) messages.get(6);
            assertThat(Long.compareUnsigned(second.finalLsn(), commit.endLsn()))
                    .isGreaterThanOrEqualTo(0);
        }
    }

    @EveryPostgresVersion
    void everyProtocolVersionTheServerSpeaksDecodes(PostgresServer pg) throws SQLException {
        try (PgOutputCapture capture = new PgOutputCapture(pg, "protoversions", false)) {
            capture.sql(
                    "CREATE TABLE t (id int PRIMARY KEY, v text)",
                    "CREATE PUBLICATION pub FOR TABLE t");
            for (int proto = 1; proto <= pg.version().maxProtoVersion(); proto++) {
                capture.sql(
                        "INSERT INTO t VALUES (" + proto + ", 'p" + proto + "')",
                        "UPDATE t SET v = 'u' WHERE id = " + proto,
                        "DELETE FROM t WHERE id = " + proto);

                List<PgOutputMessage> messages = capture.decoded(PgOutputOptions.of(proto), "pub");

                assertThat(tags(messages)).as("proto %s", proto).endsWith("ICBUCBDC");
                assertThat(values(ofType(messages, Insert.class).get(0).newTuple()))
                        .containsExactly(Integer.toString(proto), "p" + proto);
                assertThat(ofType(messages, Delete.class).get(0).oldTuple().valueAsString(0))
                        .isEqualTo(Integer.toString(proto));
            }
        }
    }

    @EveryPostgresVersion
    void updatesUnderEachReplicaIdentity(PostgresServer pg) throws SQLException {
        try (PgOutputCapture capture = new PgOutputCapture(pg, "identity", false)) {
            capture.sql(
                    "CREATE TABLE d (id int PRIMARY KEY, v text)",
                    "CREATE TABLE f (id int PRIMARY KEY, v text)",
                    "ALTER TABLE f REPLICA IDENTITY FULL",
                    "CREATE TABLE x (id int NOT NULL, code text NOT NULL, v text)",
                    "CREATE UNIQUE INDEX x_code ON x (code)",
                    "ALTER TABLE x REPLICA IDENTITY USING INDEX x_code",
                    "CREATE PUBLICATION pub FOR TABLE d, f, x",
                    "INSERT INTO d VALUES (1, 'a')",
                    "INSERT INTO f VALUES (1, 'a')",
                    "INSERT INTO x VALUES (1, 'c1', 'a')");
            capture.changes(maxOptions(pg), "pub"); // skip the inserts
            capture.sql(
                    "UPDATE d SET v = 'b' WHERE id = 1",
                    "UPDATE d SET id = 2 WHERE id = 1",
                    "UPDATE f SET v = 'b' WHERE id = 1",
                    "UPDATE f SET id = 2 WHERE id = 1",
                    "UPDATE x SET v = 'b'",
                    "UPDATE x SET code = 'c2'");

            List<PgOutputMessage> messages = capture.decoded(maxOptions(pg), "pub");
            List<Update> updates = ofType(messages, Update.class);
            List<Relation> relations = ofType(messages, Relation.class);
            assertThat(updates).hasSize(6);
            assertThat(relations)
                    .extracting(Relation::relationName, Relation::replicaIdentity)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("d", ReplicaIdentity.DEFAULT),
                            org.assertj.core.groups.Tuple.tuple("f", ReplicaIdentity.FULL),
                            org.assertj.core.groups.Tuple.tuple("x", ReplicaIdentity.INDEX));
            // FULL marks every column as part of the identity; USING INDEX only the index column.
            assertThat(relations.get(1).columns()).allMatch(c -> c.flags() == 1);
            assertThat(relations.get(2).columns())
                    .extracting(RelationColumn::flags)
                    .containsExactly(0, 1, 0);

            // DEFAULT: no old tuple unless the key changed; then the key only.
            assertThat(updates.get(0).oldTupleKind()).isEqualTo(OldTupleKind.NONE);
            assertThat(updates.get(0).oldTuple()).isNull();
            assertThat(values(updates.get(0).newTuple())).containsExactly("1", "b");
            assertThat(updates.get(1).oldTupleKind()).isEqualTo(OldTupleKind.KEY);
            assertThat(updates.get(1).oldTuple().valueAsString(0)).isEqualTo("1");
            assertThat(updates.get(1).oldTuple().kind(1)).isEqualTo(ColumnKind.NULL);
            assertThat(values(updates.get(1).newTuple())).containsExactly("2", "b");

            // FULL: the whole old row, always.
            assertThat(updates.get(2).oldTupleKind()).isEqualTo(OldTupleKind.FULL);
            assertThat(values(updates.get(2).oldTuple())).containsExactly("1", "a");
            assertThat(values(updates.get(3).oldTuple())).containsExactly("1", "b");
            assertThat(values(updates.get(3).newTuple())).containsExactly("2", "b");

            // USING INDEX: old index columns only when they changed.
            assertThat(updates.get(4).oldTupleKind()).isEqualTo(OldTupleKind.NONE);
            assertThat(updates.get(5).oldTupleKind()).isEqualTo(OldTupleKind.KEY);
            assertThat(updates.get(5).oldTuple().valueAsString(1)).isEqualTo("c1");
            assertThat(updates.get(5).oldTuple().kind(0)).isEqualTo(ColumnKind.NULL);
            assertThat(values(updates.get(5).newTuple())).containsExactly("1", "c2", "b");
        }
    }

    @EveryPostgresVersion
    void deletesCarryTheKeyOrTheFullRow(PostgresServer pg) throws SQLException {
        try (PgOutputCapture capture = new PgOutputCapture(pg, "deletes", false)) {
            capture.sql(
                    "CREATE TABLE d (id int PRIMARY KEY, v text)",
                    "CREATE TABLE f (id int PRIMARY KEY, v text)",
                    "ALTER TABLE f REPLICA IDENTITY FULL",
                    "CREATE PUBLICATION pub FOR TABLE d, f",
                    "INSERT INTO d VALUES (1, 'a')",
                    "INSERT INTO f VALUES (1, 'a')",
                    "DELETE FROM d",
                    "DELETE FROM f");

            List<Delete> deletes = ofType(capture.decoded(maxOptions(pg), "pub"), Delete.class);

            assertThat(deletes).hasSize(2);
            assertThat(deletes.get(0).oldTupleKind()).isEqualTo(OldTupleKind.KEY);
            assertThat(deletes.get(0).oldTuple().valueAsString(0)).isEqualTo("1");
            assertThat(deletes.get(0).oldTuple().kind(1)).isEqualTo(ColumnKind.NULL);
            assertThat(deletes.get(1).oldTupleKind()).isEqualTo(OldTupleKind.FULL);
            assertThat(values(deletes.get(1).oldTuple())).containsExactly("1", "a");
        }
    }

    @EveryPostgresVersion
    void truncateKeepsItsOptionsAndEveryRelation(PostgresServer pg) throws SQLException {
        try (PgOutputCapture capture = new PgOutputCapture(pg, "truncate", false)) {
            capture.sql(
                    "CREATE TABLE parent (id serial PRIMARY KEY)",
                    "CREATE TABLE child (id int PRIMARY KEY, parent_id int REFERENCES parent)",
                    "CREATE TABLE solo (id int PRIMARY KEY)",
                    "CREATE PUBLICATION pub FOR TABLE parent, child, solo",
                    "TRUNCATE parent RESTART IDENTITY CASCADE",
                    "TRUNCATE solo");

            List<PgOutputMessage> messages = capture.decoded(maxOptions(pg), "pub");
            List<Truncate> truncates = ofType(messages, Truncate.class);
            List<Relation> relations = ofType(messages, Relation.class);

            assertThat(truncates).hasSize(2);
            Truncate cascade = truncates.get(0);
            assertThat(cascade.cascade()).isTrue();
            assertThat(cascade.restartIdentity()).isTrue();
            assertThat(cascade.options()).isEqualTo(Truncate.CASCADE | Truncate.RESTART_IDENTITY);
            assertThat(cascade.relationCount()).isEqualTo(2);
            assertThat(relationNames(relations, cascade))
                    .containsExactlyInAnyOrder("parent", "child");
            Truncate plain = truncates.get(1);
            assertThat(plain.options()).isZero();
            assertThat(relationNames(relations, plain)).containsExactly("solo");
        }
    }

    @EveryPostgresVersion
    void logicalMessagesTransactionalOrNot(PostgresServer pg) throws SQLException {
        try (PgOutputCapture capture = new PgOutputCapture(pg, "messages", false)) {
            capture.sql(
                    "CREATE TABLE t (id int PRIMARY KEY)",
                    "CREATE PUBLICATION pub FOR TABLE t",
                    "SELECT pg_logical_emit_message(false, 'golden', 'outside')",
                    "BEGIN",
                    "INSERT INTO t VALUES (1)",
                    "SELECT pg_logical_emit_message(true, 'golden', convert_to('inside ✓',"
                            + " 'UTF8'))",
                    "COMMIT");

            List<PgOutputMessage> messages =
                    capture.decoded(maxOptions(pg).withMessages(true), "pub");

            assertThat(tags(messages)).isEqualTo("MBRIMC");
            LogicalMessage outside = (LogicalMessage) messages.get(0);
            assertThat(outside.transactional()).isFalse();
            assertThat(outside.prefix()).isEqualTo("golden");
            assertThat(outside.contentAsString()).isEqualTo("outside");
            assertThat(outside.messageLsn()).isNotZero();
            LogicalMessage inside = (LogicalMessage) messages.get(4);
            assertThat(inside.transactional()).isTrue();
            assertThat(inside.contentAsString()).isEqualTo("inside ✓");
            assertThat(inside.xid()).isEqualTo(StreamableMessage.NO_XID);

            // Without messages=true the server leaves them out.
            capture.sql("SELECT pg_logical_emit_message(false, 'golden', 'dropped')");
            assertThat(capture.decoded(maxOptions(pg), "pub")).isEmpty();
        }
    }

    @EveryPostgresVersion
    void originFollowsBegin(PostgresServer pg) throws SQLException {
        try (PgOutputCapture capture = new PgOutputCapture(pg, "origin", false)) {
            capture.sql(
                    "CREATE TABLE t (id int PRIMARY KEY)",
                    "CREATE PUBLICATION pub FOR TABLE t",
                    "SELECT pg_replication_origin_create('golden_upstream')");
            try (Connection c = capture.newConnection();
                    Statement s = c.createStatement()) {
                s.execute("SELECT pg_replication_origin_session_setup('golden_upstream')");
                s.execute("BEGIN");
                s.execute("SELECT pg_replication_origin_xact_setup('0/ABCDEF', now())");
                s.execute("INSERT INTO t VALUES (1)");
                s.execute("COMMIT");
                s.execute("SELECT pg_replication_origin_session_reset()");
            }
            capture.sql("SELECT pg_replication_origin_drop('golden_upstream')");

            List<PgOutputMessage> messages = capture.decoded(maxOptions(pg), "pub");

            assertThat(tags(messages)).isEqualTo("BORIC");
            Origin origin = (Origin) messages.get(1);
            assertThat(origin.originName()).isEqualTo("golden_upstream");
            assertThat(new Lsn(origin.originCommitLsn())).isEqualTo(Lsn.parse("0/ABCDEF"));
        }
    }

    @EveryPostgresVersion
    void largeTransactionsStreamWithXids(PostgresServer pg) throws SQLException {
        List<StreamingMode> modes =
                pg.version().major() >= 16
                        ? List.of(StreamingMode.ON, StreamingMode.PARALLEL)
                        : List.of(StreamingMode.ON);
        for (StreamingMode mode : modes) {
            try (PgOutputCapture capture = new PgOutputCapture(pg, "stream_" + mode, false)) {
                capture.sql(
                        "CREATE TABLE big (id int PRIMARY KEY, payload text)",
                        "CREATE PUBLICATION pub FOR TABLE big",
                        "INSERT INTO big SELECT g, repeat('x', 100) FROM generate_series(1, 5000)"
                                + " g");

                List<PgOutputMessage> messages =
                        capture.decoded(maxOptions(pg).withStreaming(mode), "pub");

                assertThat(messages.get(0)).isInstanceOf(StreamStart.class);
                StreamStart start = (StreamStart) messages.get(0);
                assertThat(start.firstSegment()).isTrue();
                long blocks = messages.stream().filter(m -> m instanceof StreamStart).count();
                assertThat(blocks).as("more than one stream block").isGreaterThan(1);
                assertThat(ofType(messages, StreamStart.class).subList(1, (int) blocks))
                        .allMatch(s -> !s.firstSegment() && s.xid() == start.xid());
                List<Insert> inserts = ofType(messages, Insert.class);
                assertThat(inserts).hasSize(5000).allMatch(i -> i.xid() == start.xid());
                assertThat(inserts.get(4999).newTuple().valueAsString(0)).isEqualTo("5000");
                StreamCommit commit = (StreamCommit) messages.get(messages.size() - 1);
                assertThat(commit.xid()).isEqualTo(start.xid());
                assertThat(Long.compareUnsigned(commit.endLsn(), commit.commitLsn())).isPositive();
                assertThat(messages.get(messages.size() - 2)).isInstanceOf(StreamStop.class);
            }
        }
    }

    @EveryPostgresVersion
    void aRolledBackSavepointInAStreamedTransactionIsAborted(PostgresServer pg)
            throws SQLException {
        StreamingMode mode = pg.version().major() >= 16 ? StreamingMode.PARALLEL : StreamingMode.ON;
        try (PgOutputCapture capture = new PgOutputCapture(pg, "subabort", false)) {
            capture.sql(
                    "CREATE TABLE big (id int PRIMARY KEY, payload text)",
                    "CREATE PUBLICATION pub FOR TABLE big",
                    "BEGIN",
                    "INSERT INTO big SELECT g, repeat('x', 100) FROM generate_series(1, 2000) g",
                    "SAVEPOINT sp",
                    "INSERT INTO big SELECT g, repeat('y', 100) FROM generate_series(2001, 4000) g",
                    "ROLLBACK TO SAVEPOINT sp",
                    "INSERT INTO big VALUES (4001, 'z')",
                    "COMMIT");

            List<PgOutputMessage> messages =
                    capture.decoded(maxOptions(pg).withStreaming(mode), "pub");

            int topXid = ((StreamStart) messages.get(0)).xid();
            List<StreamAbort> aborts = ofType(messages, StreamAbort.class);
            assertThat(aborts).hasSize(1);
            StreamAbort abort = aborts.get(0);
            assertThat(abort.xid()).isEqualTo(topXid);
            assertThat(abort.subXid()).isNotEqualTo(topXid);
            assertThat(abort.hasAbortInfo()).isEqualTo(mode == StreamingMode.PARALLEL);
            if (abort.hasAbortInfo()) {
                assertThat(abort.abortLsn()).isNotZero();
                assertThat(abort.abortTime()).isNotZero();
            }
            List<Insert> inserts = ofType(messages, Insert.class);
            assertThat(inserts.stream().filter(i -> i.xid() == abort.subXid()).count())
                    .as("changes of the aborted subtransaction carry its xid")
                    .isPositive();
            assertThat(inserts.stream().filter(i -> i.xid() == topXid).count()).isEqualTo(2000);
            // After ROLLBACK TO, the savepoint lives on as a new subtransaction.
            assertThat(inserts.stream().filter(i -> i.xid() != abort.subXid()).count())
                    .isEqualTo(2001);
            assertThat(messages.get(messages.size() - 1)).isInstanceOf(StreamCommit.class);
        }
    }

    @EveryPostgresVersion
    void preparedTransactionsCommittedAndRolledBack(PostgresServer pg) throws SQLException {
        if (pg.version().major() < 15) {
            // Two-phase decoding needs protocol 3, which PostgreSQL 14 does not speak.
            try (PgOutputCapture capture = new PgOutputCapture(pg, "twophase", false)) {
                capture.sql("CREATE TABLE t (id int)", "CREATE PUBLICATION pub FOR TABLE t");
                assertThatThrownBy(
                                () ->
                                        capture.changes(
                                                new PgOutputOptions(
                                                        3, StreamingMode.OFF, false, false, false),
                                                "pub"))
                        .hasMessageContaining("proto_version");
            }
            return;
        }
        try (PgOutputCapture capture = new PgOutputCapture(pg, "twophase", true)) {
            capture.sql(
                    "CREATE TABLE t (id int PRIMARY KEY)",
                    "CREATE PUBLICATION pub FOR TABLE t",
                    "BEGIN",
                    "INSERT INTO t VALUES (1)",
                    "PREPARE TRANSACTION 'golden-commit'",
                    "COMMIT PREPARED 'golden-commit'",
                    "BEGIN",
                    "INSERT INTO t VALUES (2)",
                    "PREPARE TRANSACTION 'golden-rollback'",
                    "ROLLBACK PREPARED 'golden-rollback'");

            List<PgOutputMessage> messages =
                    capture.decoded(maxOptions(pg).withTwoPhase(true), "pub");

            assertThat(tags(messages)).isEqualTo("bRIPKbIPr");
            BeginPrepare begin = (BeginPrepare) messages.get(0);
            Prepare prepare = (Prepare) messages.get(3);
            CommitPrepared commit = (CommitPrepared) messages.get(4);
            assertThat(begin.gid()).isEqualTo("golden-commit");
            assertThat(prepare.gid()).isEqualTo("golden-commit");
            assertThat(prepare.prepareLsn()).isEqualTo(begin.prepareLsn());
            assertThat(prepare.prepareEndLsn()).isEqualTo(begin.prepareEndLsn());
            assertThat(prepare.xid()).isEqualTo(begin.xid());
            assertThat(commit.gid()).isEqualTo("golden-commit");
            assertThat(commit.xid()).isEqualTo(begin.xid());
            assertThat(Long.compareUnsigned(commit.commitLsn(), prepare.prepareEndLsn()))
                    .isGreaterThanOrEqualTo(0);

            BeginPrepare second = (BeginPrepare) messages.get(5);
            RollbackPrepared rollback = (RollbackPrepared) messages.get(8);
            assertThat(rollback.gid()).isEqualTo("golden-rollback");
            assertThat(rollback.xid()).isEqualTo(second.xid());
            assertThat(rollback.prepareEndLsn()).isEqualTo(second.prepareEndLsn());
            assertThat(rollback.prepareTime()).isEqualTo(second.prepareTime());
            assertThat(values(((Insert) messages.get(6)).newTuple())).containsExactly("2");
        }
    }

    @EveryPostgresVersion
    void binaryAndTextTupleData(PostgresServer pg) throws SQLException {
        try (PgOutputCapture capture = new PgOutputCapture(pg, "binary", false)) {
            capture.sql(
                    "CREATE TABLE t (id int PRIMARY KEY, big bigint, name text, ok bool,"
                            + " ts timestamptz)",
                    "CREATE PUBLICATION pub FOR TABLE t",
                    "INSERT INTO t VALUES (7, -2, 'ünïcode', true, '2000-01-01 00:00:01+00')");
            List<PgOutputMessage> text = capture.decoded(maxOptions(pg), "pub");
            capture.sql(
                    "INSERT INTO t VALUES (7, -2, 'ünïcode', true, '2000-01-01 00:00:01+00')"
                            + " ON CONFLICT (id) DO UPDATE SET id = 7");
            List<PgOutputMessage> binary = capture.decoded(maxOptions(pg).withBinary(true), "pub");

            TupleData textTuple = ofType(text, Insert.class).get(0).newTuple();
            assertThat(textTuple.kind(0)).isEqualTo(ColumnKind.TEXT);
            assertThat(values(textTuple))
                    .containsExactly("7", "-2", "ünïcode", "t", "2000-01-01 00:00:01+00");

            TupleData bin = ofType(binary, Update.class).get(0).newTuple();
            assertThat(bin.kind(0)).isEqualTo(ColumnKind.BINARY);
            assertThat(ByteBuffer.wrap(bin.valueBytes(0)).getInt()).isEqualTo(7);
            assertThat(ByteBuffer.wrap(bin.valueBytes(1)).getLong()).isEqualTo(-2L);
            assertThat(bin.valueAsString(2)).isEqualTo("ünïcode");
            assertThat(bin.valueBytes(3)).containsExactly(1);
            // timestamptz binary: microseconds since 2000-01-01 UTC.
            assertThat(ByteBuffer.wrap(bin.valueBytes(4)).getLong()).isEqualTo(1_000_000L);
        }
    }

    @EveryPostgresVersion
    void userTypesAreAnnouncedWithTypeMessages(PostgresServer pg) throws SQLException {
        try (PgOutputCapture capture = new PgOutputCapture(pg, "types", false)) {
            capture.sql(
                    "CREATE TYPE mood AS ENUM ('sad', 'happy')",
                    "CREATE DOMAIN positive AS int CHECK (VALUE > 0)",
                    "CREATE TABLE t (id int PRIMARY KEY, m mood, p positive)",
                    "CREATE PUBLICATION pub FOR TABLE t",
                    "INSERT INTO t VALUES (1, 'happy', 5)");

            List<PgOutputMessage> messages = capture.decoded(maxOptions(pg), "pub");

            assertThat(tags(messages)).isEqualTo("BYYRIC");
            List<TypeMessage> types = ofType(messages, TypeMessage.class);
            Relation relation = ofType(messages, Relation.class).get(0);
            assertThat(types.get(0).typeOid()).isEqualTo(relation.columns().get(1).typeOid());
            assertThat(types.get(0).namespace()).isEqualTo("public");
            assertThat(types.get(0).typeName()).isEqualTo("mood");
            // A domain is announced with its own OID but the name of its base type ("" =
            // pg_catalog).
            assertThat(types.get(1).typeOid()).isEqualTo(relation.columns().get(2).typeOid());
            assertThat(types.get(1).namespace()).isEmpty();
            assertThat(types.get(1).typeName()).isEqualTo("int4");
            assertThat(values(((Insert) messages.get(4)).newTuple()))
                    .containsExactly("1", "happy", "5");
        }
    }

    @EveryPostgresVersion
    void anUnchangedToastedValueIsNotNull(PostgresServer pg) throws SQLException {
        try (PgOutputCapture capture = new PgOutputCapture(pg, "toast", false)) {
            capture.sql(
                    "CREATE TABLE t (id int PRIMARY KEY, doc text, n int)",
                    "ALTER TABLE t ALTER COLUMN doc SET STORAGE EXTERNAL",
                    "CREATE PUBLICATION pub FOR TABLE t",
                    "INSERT INTO t VALUES (1, repeat('toast', 4000), 0)");
            capture.changes(maxOptions(pg), "pub");
            capture.sql("UPDATE t SET n = 1", "UPDATE t SET doc = 'small', n = 2");

            List<Update> updates = ofType(capture.decoded(maxOptions(pg), "pub"), Update.class);

            assertThat(updates).hasSize(2);
            TupleData unchanged = updates.get(0).newTuple();
            assertThat(unchanged.kind(1)).isEqualTo(ColumnKind.UNCHANGED_TOAST);
            assertThat(unchanged.isNull(1)).isFalse();
            assertThat(unchanged.valueAsString(2)).isEqualTo("1");
            assertThat(values(updates.get(1).newTuple())).containsExactly("1", "small", "2");
        }
    }

    private static PgOutputOptions maxOptions(PostgresServer pg) {
        return PgOutputOptions.of(pg.version().maxProtoVersion());
    }

    private static String tags(List<PgOutputMessage> messages) {
        return messages.stream()
                .map(m -> String.valueOf((char) m.tag()))
                .collect(Collectors.joining());
    }

    private static <T> List<T> ofType(List<PgOutputMessage> messages, Class<T> type) {
        return messages.stream()
                .filter(type::isInstance)
                .map(type::cast)
                .collect(Collectors.toList());
    }

    private static List<String> values(TupleData tuple) {
        return java.util.stream.IntStream.range(0, tuple.columnCount())
                .mapToObj(tuple::valueAsString)
                .collect(Collectors.toList());
    }

    private static List<String> relationNames(List<Relation> relations, Truncate truncate) {
        return java.util.stream.IntStream.range(0, truncate.relationCount())
                .map(truncate::relationOid)
                .mapToObj(
                        oid ->
                                relations.stream()
                                        .filter(r -> r.relationOid() == oid)
                                        .findFirst()
                                        .map(Relation::relationName)
                                        .orElse("unknown oid " + oid))
                .collect(Collectors.toList());
    }
}
