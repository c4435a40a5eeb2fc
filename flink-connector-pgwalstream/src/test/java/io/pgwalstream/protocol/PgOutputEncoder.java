package io.pgwalstream.protocol;

/**
 * Encodes any {@link PgOutputMessage} as pgoutput would send it, for round-trip tests and fake
 * servers. What the message holds decides the layout: a streamable message is written with its xid
 * when {@link StreamableMessage#hasXid()}, a Stream Abort with its LSN and time when {@link
 * StreamAbort#hasAbortInfo()}. Callers pick values that match the options and stream state they
 * decode with (or deliberately do not, to test rejection).
 */
public final class PgOutputEncoder {

    private PgOutputEncoder() {}

    public static byte[] encode(PgOutputMessage message) {
        ByteWriter w = new ByteWriter();
        encode(message, w);
        return w.toByteArray();
    }

    public static void encode(PgOutputMessage message, ByteWriter w) {
        w.u8(message.tag());
        if (message instanceof StreamableMessage) {
            StreamableMessage streamable = (StreamableMessage) message;
            if (streamable.hasXid()) {
                w.i32(streamable.xid());
            }
        }
        if (message instanceof Begin) {
            Begin m = (Begin) message;
            w.i64(m.finalLsn()).i64(m.commitTime()).i32(m.xid());
        } else if (message instanceof Commit) {
            Commit m = (Commit) message;
            w.u8(0).i64(m.commitLsn()).i64(m.endLsn()).i64(m.commitTime());
        } else if (message instanceof Origin) {
            Origin m = (Origin) message;
            w.i64(m.originCommitLsn()).cstring(m.originName());
        } else if (message instanceof Relation) {
            Relation m = (Relation) message;
            w.i32(m.relationOid())
                    .cstring(m.namespace())
                    .cstring(m.relationName())
                    .u8(m.replicaIdentity().tag())
                    .i16(m.columns().size());
            for (RelationColumn column : m.columns()) {
                w.u8(column.flags())
                        .cstring(column.name())
                        .i32(column.typeOid())
                        .i32(column.typeModifier());
            }
        } else if (message instanceof TypeMessage) {
            TypeMessage m = (TypeMessage) message;
            w.i32(m.typeOid()).cstring(m.namespace()).cstring(m.typeName());
        } else if (message instanceof Insert) {
            Insert m = (Insert) message;
            w.i32(m.relationOid()).u8('N');
            tuple(w, m.newTuple());
        } else if (message instanceof Update) {
            Update m = (Update) message;
            w.i32(m.relationOid());
            if (m.hasOldTuple()) {
                w.u8(m.oldTupleKind().tag());
                tuple(w, m.oldTuple());
            }
            w.u8('N');
            tuple(w, m.newTuple());
        } else if (message instanceof Delete) {
            Delete m = (Delete) message;
            w.i32(m.relationOid()).u8(m.oldTupleKind().tag());
            tuple(w, m.oldTuple());
        } else if (message instanceof Truncate) {
            Truncate m = (Truncate) message;
            w.i32(m.relationCount()).u8(m.options());
            for (int oid : m.relationOids()) {
                w.i32(oid);
            }
        } else if (message instanceof LogicalMessage) {
            LogicalMessage m = (LogicalMessage) message;
            w.u8(m.flags())
                    .i64(m.messageLsn())
                    .cstring(m.prefix())
                    .i32(m.contentLength())
                    .bytes(m.buffer(), m.contentOffset(), m.contentLength());
        } else if (message instanceof StreamStart) {
            StreamStart m = (StreamStart) message;
            w.i32(m.xid()).u8(m.firstSegment() ? 1 : 0);
        } else if (message instanceof StreamStop) {
            // tag only
        } else if (message instanceof StreamCommit) {
            StreamCommit m = (StreamCommit) message;
            w.i32(m.xid()).u8(0).i64(m.commitLsn()).i64(m.endLsn()).i64(m.commitTime());
        } else if (message instanceof StreamAbort) {
            StreamAbort m = (StreamAbort) message;
            w.i32(m.xid()).i32(m.subXid());
            if (m.hasAbortInfo()) {
                w.i64(m.abortLsn()).i64(m.abortTime());
            }
        } else if (message instanceof BeginPrepare) {
            BeginPrepare m = (BeginPrepare) message;
            w.i64(m.prepareLsn())
                    .i64(m.prepareEndLsn())
                    .i64(m.prepareTime())
                    .i32(m.xid())
                    .cstring(m.gid());
        } else if (message instanceof Prepare) {
            Prepare m = (Prepare) message;
            w.u8(0)
                    .i64(m.prepareLsn())
                    .i64(m.prepareEndLsn())
                    .i64(m.prepareTime())
                    .i32(m.xid())
                    .cstring(m.gid());
        } else if (message instanceof StreamPrepare) {
            StreamPrepare m = (StreamPrepare) message;
            w.u8(0)
                    .i64(m.prepareLsn())
                    .i64(m.prepareEndLsn())
                    .i64(m.prepareTime())
                    .i32(m.xid())
                    .cstring(m.gid());
        } else if (message instanceof CommitPrepared) {
            CommitPrepared m = (CommitPrepared) message;
            w.u8(0)
                    .i64(m.commitLsn())
                    .i64(m.commitEndLsn())
                    .i64(m.commitTime())
                    .i32(m.xid())
                    .cstring(m.gid());
        } else if (message instanceof RollbackPrepared) {
            RollbackPrepared m = (RollbackPrepared) message;
            w.u8(0)
                    .i64(m.prepareEndLsn())
                    .i64(m.rollbackEndLsn())
                    .i64(m.prepareTime())
                    .i64(m.rollbackTime())
                    .i32(m.xid())
                    .cstring(m.gid());
        } else {
            throw new IllegalArgumentException("unsupported message " + message);
        }
    }

    private static void tuple(ByteWriter w, TupleData tuple) {
        w.bytes(tuple.buffer(), tuple.startOffset(), tuple.encodedLength());
    }
}
