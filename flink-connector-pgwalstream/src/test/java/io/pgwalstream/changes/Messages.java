package io.pgwalstream.changes;

import io.pgwalstream.protocol.Begin;
import io.pgwalstream.protocol.BeginPrepare;
import io.pgwalstream.protocol.Commit;
import io.pgwalstream.protocol.CommitPrepared;
import io.pgwalstream.protocol.Delete;
import io.pgwalstream.protocol.Insert;
import io.pgwalstream.protocol.LogicalMessage;
import io.pgwalstream.protocol.OldTupleKind;
import io.pgwalstream.protocol.Origin;
import io.pgwalstream.protocol.PgOutputOptions;
import io.pgwalstream.protocol.Prepare;
import io.pgwalstream.protocol.Relation;
import io.pgwalstream.protocol.RelationColumn;
import io.pgwalstream.protocol.ReplicaIdentity;
import io.pgwalstream.protocol.RollbackPrepared;
import io.pgwalstream.protocol.StreamAbort;
import io.pgwalstream.protocol.StreamCommit;
import io.pgwalstream.protocol.StreamPrepare;
import io.pgwalstream.protocol.StreamStart;
import io.pgwalstream.protocol.StreamStop;
import io.pgwalstream.protocol.StreamableMessage;
import io.pgwalstream.protocol.StreamingMode;
import io.pgwalstream.protocol.Truncate;
import io.pgwalstream.protocol.TupleBuilder;
import io.pgwalstream.protocol.TupleData;
import io.pgwalstream.protocol.TypeMessage;
import io.pgwalstream.protocol.Update;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Short factories for the pgoutput messages the assembler tests feed. */
final class Messages {

    /** Everything on: protocol 4, parallel streaming, two-phase, messages. */
    static final PgOutputOptions OPTIONS =
            PgOutputOptions.of(4)
                    .withStreaming(StreamingMode.ON)
                    .withTwoPhase(true)
                    .withMessages(true);

    static final int NO_XID = StreamableMessage.NO_XID;
    static final int TEXT = 25;
    static final int ITEMS = 16_384;
    static final int OTHER = 16_390;
    static final long TIME = 812_345_678_901_234L;

    private Messages() {}

    /** A table whose first column is the key; all columns text. */
    static Relation relation(int xid, int oid, String name, String... columns) {
        return relation(xid, oid, name, ReplicaIdentity.DEFAULT, columns);
    }

    static Relation relation(
            int xid, int oid, String name, ReplicaIdentity identity, String... columns) {
        List<RelationColumn> list = new ArrayList<>();
        for (int i = 0; i < columns.length; i++) {
            boolean key = i == 0 || identity == ReplicaIdentity.FULL;
            list.add(new RelationColumn(key ? RelationColumn.FLAG_KEY : 0, columns[i], TEXT, -1));
        }
        return new Relation(xid, oid, "public", name, identity, list);
    }

    static TypeMessage type(int xid, int oid, String name) {
        return new TypeMessage(xid, oid, "public", name);
    }

    static Begin begin(long finalLsn, int xid) {
        return new Begin(finalLsn, TIME, xid);
    }

    static Commit commit(long commitLsn, long endLsn) {
        return new Commit(commitLsn, endLsn, TIME);
    }

    static Origin origin(String name) {
        return new Origin(0x1234L, name);
    }

    static Insert insert(int xid, int oid, String... values) {
        return new Insert(xid, oid, TupleBuilder.texts(values));
    }

    static Update update(int xid, int oid, String... values) {
        return new Update(xid, oid, OldTupleKind.NONE, null, TupleBuilder.texts(values));
    }

    static Update update(int xid, int oid, OldTupleKind kind, TupleData old, TupleData row) {
        return new Update(xid, oid, kind, old, row);
    }

    static Delete delete(int xid, int oid, String... keyValues) {
        return new Delete(xid, oid, OldTupleKind.KEY, TupleBuilder.texts(keyValues));
    }

    static Truncate truncate(int xid, int options, int... oids) {
        return new Truncate(xid, options, oids);
    }

    static LogicalMessage message(int xid, boolean transactional, long lsn, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        return new LogicalMessage(
                xid,
                transactional ? LogicalMessage.TRANSACTIONAL : 0,
                lsn,
                "test",
                bytes,
                0,
                bytes.length);
    }

    static StreamStart start(int xid, boolean first) {
        return new StreamStart(xid, first);
    }

    static StreamStop stop() {
        return StreamStop.INSTANCE;
    }

    static StreamCommit streamCommit(int xid, long commitLsn, long endLsn) {
        return new StreamCommit(xid, commitLsn, endLsn, TIME);
    }

    static StreamAbort abort(int xid, int subXid) {
        return StreamAbort.of(xid, subXid);
    }

    static BeginPrepare beginPrepare(long prepareLsn, int xid, String gid) {
        return new BeginPrepare(prepareLsn, prepareLsn + 40, TIME, xid, gid);
    }

    static Prepare prepare(long prepareLsn, int xid, String gid) {
        return new Prepare(prepareLsn, prepareLsn + 40, TIME, xid, gid);
    }

    static StreamPrepare streamPrepare(long prepareLsn, int xid, String gid) {
        return new StreamPrepare(prepareLsn, prepareLsn + 40, TIME, xid, gid);
    }

    static CommitPrepared commitPrepared(long commitLsn, int xid, String gid) {
        return new CommitPrepared(commitLsn, commitLsn + 40, TIME + 1, xid, gid);
    }

    /** Matches {@link #prepare}'s end LSN and time. */
    static RollbackPrepared rollbackPrepared(
            long prepareLsn, long rollbackLsn, int xid, String gid) {
        return new RollbackPrepared(prepareLsn + 40, rollbackLsn + 40, TIME, TIME + 1, xid, gid);
    }
}
