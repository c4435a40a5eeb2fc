package io.pgwalstream.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Decodes pgoutput messages (the payloads of logical XLogData) for the negotiated {@link
 * PgOutputOptions}.
 *
 * <p>The decoder is stateful: it follows Stream Start…Stream Stop blocks because streamable
 * messages carry an xid exactly inside them, and the bytes alone cannot tell. Feed it every message
 * of a session in order and {@link #reset()} it when a new walsender session starts. A message that
 * fails to decode leaves the state unchanged.
 *
 * <p>Beyond layout checks it rejects what the options rule out: streaming messages without
 * streaming, two-phase messages without {@code two_phase}, {@code 'M'} without {@code messages},
 * {@code 'b'} columns without {@code binary}, and transaction-control messages inside a stream
 * block. One exception: Stream Abort is accepted in every configuration, because PostgreSQL 18 has
 * been seen to send it without streaming negotiated.
 *
 * <p>Decoding allocates the message record and, for DML, one {@link TupleData} view per tuple;
 * names and prefixes of the rarer Relation, Type, Origin, Message and two-phase messages become
 * Strings. The input array is referenced, not copied, and must stay unchanged while the returned
 * message is used. Not thread-safe.
 */
public final class PgOutputDecoder {

    /** Smallest encoding of one Relation column: flags, empty name, type OID, typmod. */
    private static final int MIN_RELATION_COLUMN_BYTES = 1 + 1 + 4 + 4;

    private final PgOutputOptions options;
    private final MessageReader reader = new MessageReader();
    private boolean inStreamBlock;
    private int streamXid = StreamableMessage.NO_XID;

    public PgOutputDecoder(PgOutputOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    public PgOutputOptions options() {
        return options;
    }

    /** Whether the last Stream Start has not been closed by a Stream Stop yet. */
    public boolean inStreamBlock() {
        return inStreamBlock;
    }

    /** The top-level xid of the open stream block, or {@link StreamableMessage#NO_XID}. */
    public int streamXid() {
        return streamXid;
    }

    /** Forgets the stream-block state, for a new walsender session. */
    public void reset() {
        inStreamBlock = false;
        streamXid = StreamableMessage.NO_XID;
    }

    /** Decodes the payload of a logical XLogData, using its start LSN for error reports. */
    public PgOutputMessage decode(XLogData frame) {
        return decode(
                frame.buffer(), frame.payloadOffset(), frame.payloadLength(), frame.dataStart());
    }

    /** Decodes a whole array; see {@link #decode(byte[], int, int, long)}. */
    public PgOutputMessage decode(byte[] buf, long lsn) {
        return decode(buf, 0, buf.length, lsn);
    }

    /**
     * Decodes the bytes from the buffer's position to its limit without moving the position. A heap
     * buffer is viewed in place; a direct or read-only buffer is copied once into a new array,
     * which the returned views then reference.
     */
    public PgOutputMessage decode(ByteBuffer buf, long lsn) {
        if (buf.hasArray()) {
            return decode(buf.array(), buf.arrayOffset() + buf.position(), buf.remaining(), lsn);
        }
        byte[] copy = new byte[buf.remaining()];
        buf.duplicate().get(copy);
        return decode(copy, 0, copy.length, lsn);
    }

    /**
     * Decodes one message occupying exactly {@code length} bytes at {@code offset}.
     *
     * @param lsn the XLogData start LSN, for error reports only; 0 when unknown
     * @throws ProtocolDecodingException if the bytes are malformed or not allowed by the options
     * @throws IndexOutOfBoundsException if offset and length do not lie within {@code buf}
     */
    public PgOutputMessage decode(byte[] buf, int offset, int length, long lsn) {
        Objects.checkFromIndexSize(offset, length, buf.length);
        MessageReader r = reader;
        r.reset(buf, offset, length, lsn);
        int tag = r.readTag();
        PgOutputMessage message;
        switch (tag) {
            case Insert.TAG:
                message = readInsert(r);
                break;
            case Update.TAG:
                message = readUpdate(r);
                break;
            case Delete.TAG:
                message = readDelete(r);
                break;
            case Begin.TAG:
                requireOutsideBlock(r);
                message =
                        new Begin(
                                r.readLong("finalLsn"), r.readLong("commitTime"), r.readInt("xid"));
                break;
            case Commit.TAG:
                requireOutsideBlock(r);
                r.readZeroFlags("flags");
                message =
                        new Commit(
                                r.readLong("commitLsn"),
                                r.readLong("endLsn"),
                                r.readLong("commitTime"));
                break;
            case Origin.TAG:
                message = new Origin(r.readLong("originCommitLsn"), r.readString("originName"));
                break;
            case Relation.TAG:
                message = readRelation(r);
                break;
            case TypeMessage.TAG:
                message =
                        new TypeMessage(
                                readXid(r),
                                r.readInt("typeOid"),
                                r.readString("namespace"),
                                r.readString("typeName"));
                break;
            case Truncate.TAG:
                message = readTruncate(r);
                break;
            case LogicalMessage.TAG:
                message = readLogicalMessage(r);
                break;
            case StreamStart.TAG:
                message = readStreamStart(r);
                break;
            case StreamStop.TAG:
                requireStreaming(r);
                if (!inStreamBlock) {
                    throw r.errorAt(r.start(), "Stream Stop without a Stream Start");
                }
                message = StreamStop.INSTANCE;
                break;
            case StreamCommit.TAG:
                requireStreaming(r);
                requireOutsideBlock(r);
                int commitXid = r.readInt("xid");
                r.readZeroFlags("flags");
                message =
                        new StreamCommit(
                                commitXid,
                                r.readLong("commitLsn"),
                                r.readLong("endLsn"),
                                r.readLong("commitTime"));
                break;
            case StreamAbort.TAG:
                message = readStreamAbort(r);
                break;
            case BeginPrepare.TAG:
                requireTwoPhase(r);
                requireOutsideBlock(r);
                message =
                        new BeginPrepare(
                                r.readLong("prepareLsn"),
                                r.readLong("prepareEndLsn"),
                                r.readLong("prepareTime"),
                                r.readInt("xid"),
                                r.readString("gid"));
                break;
            case Prepare.TAG:
                requireTwoPhase(r);
                requireOutsideBlock(r);
                r.readZeroFlags("flags");
                message =
                        new Prepare(
                                r.readLong("prepareLsn"),
                                r.readLong("prepareEndLsn"),
                                r.readLong("prepareTime"),
                                r.readInt("xid"),
                                r.readString("gid"));
                break;
            case CommitPrepared.TAG:
                requireTwoPhase(r);
                requireOutsideBlock(r);
                r.readZeroFlags("flags");
                message =
                        new CommitPrepared(
                                r.readLong("commitLsn"),
                                r.readLong("commitEndLsn"),
                                r.readLong("commitTime"),
                                r.readInt("xid"),
                                r.readString("gid"));
                break;
            case RollbackPrepared.TAG:
                requireTwoPhase(r);
                requireOutsideBlock(r);
                r.readZeroFlags("flags");
                message =
                        new RollbackPrepared(
                                r.readLong("prepareEndLsn"),
                                r.readLong("rollbackEndLsn"),
                                r.readLong("prepareTime"),
                                r.readLong("rollbackTime"),
                                r.readInt("xid"),
                                r.readString("gid"));
                break;
            case StreamPrepare.TAG:
                requireTwoPhase(r);
                requireStreaming(r);
                requireOutsideBlock(r);
                r.readZeroFlags("flags");
                message =
                        new StreamPrepare(
                                r.readLong("prepareLsn"),
                                r.readLong("prepareEndLsn"),
                                r.readLong("prepareTime"),
                                r.readInt("xid"),
                                r.readString("gid"));
                break;
            default:
                throw r.errorAt(offset, "unknown pgoutput message tag");
        }
        r.expectEnd();
        // Only a fully decoded message may change the block state.
        if (tag == StreamStart.TAG) {
            inStreamBlock = true;
            streamXid = ((StreamStart) message).xid();
        } else if (tag == StreamStop.TAG) {
            reset();
        }
        return message;
    }

    private Insert readInsert(MessageReader r) {
        int xid = readXid(r);
        int relationOid = r.readInt("relationOid");
        expectNewTupleMarker(r);
        return new Insert(xid, relationOid, r.readTuple(options.binary()));
    }

    private Update readUpdate(MessageReader r) {
        int xid = readXid(r);
        int relationOid = r.readInt("relationOid");
        int markerAt = r.position();
        byte marker = r.readByte("tuple marker");
        OldTupleKind oldKind = OldTupleKind.NONE;
        TupleData oldTuple = null;
        if (marker == OldTupleKind.KEY_TAG || marker == OldTupleKind.FULL_TAG) {
            oldKind = marker == OldTupleKind.KEY_TAG ? OldTupleKind.KEY : OldTupleKind.FULL;
            oldTuple = r.readTuple(options.binary());
            markerAt = r.position();
            marker = r.readByte("new tuple marker");
        }
        if (marker != Insert.NEW_TUPLE_TAG) {
            throw r.errorAt(
                    markerAt, "expected tuple marker 'K', 'O' or 'N', got " + (marker & 0xFF));
        }
        return new Update(xid, relationOid, oldKind, oldTuple, r.readTuple(options.binary()));
    }

    private Delete readDelete(MessageReader r) {
        int xid = readXid(r);
        int relationOid = r.readInt("relationOid");
        int markerAt = r.position();
        byte marker = r.readByte("old tuple marker");
        OldTupleKind oldKind;
        if (marker == OldTupleKind.KEY_TAG) {
            oldKind = OldTupleKind.KEY;
        } else if (marker == OldTupleKind.FULL_TAG) {
            oldKind = OldTupleKind.FULL;
        } else {
            throw r.errorAt(markerAt, "expected tuple marker 'K' or 'O', got " + (marker & 0xFF));
        }
        return new Delete(xid, relationOid, oldKind, r.readTuple(options.binary()));
    }

    private void expectNewTupleMarker(MessageReader r) {
        int at = r.position();
        byte marker = r.readByte("new tuple marker");
        if (marker != Insert.NEW_TUPLE_TAG) {
            throw r.errorAt(at, "expected tuple marker 'N', got " + (marker & 0xFF));
        }
    }

    private Relation readRelation(MessageReader r) {
        int xid = readXid(r);
        int relationOid = r.readInt("relationOid");
        String namespace = r.readString("namespace");
        String name = r.readString("relationName");
        int identityAt = r.position();
        int identityTag = r.readUnsignedByte("replicaIdentity");
        ReplicaIdentity identity = ReplicaIdentity.fromTagOrNull(identityTag);
        if (identity == null) {
            throw r.errorAt(identityAt, "unknown replica identity " + identityTag);
        }
        int countAt = r.position();
        int columnCount = r.readUnsignedShort("column count");
        if (columnCount > r.remaining() / MIN_RELATION_COLUMN_BYTES) {
            throw r.errorAt(
                    countAt,
                    "column count "
                            + columnCount
                            + " exceeds the "
                            + r.remaining()
                            + " bytes left");
        }
        List<RelationColumn> columns = new ArrayList<>(columnCount);
        for (int i = 0; i < columnCount; i++) {
            columns.add(
                    new RelationColumn(
                            r.readUnsignedByte("column flags"),
                            r.readString("column name"),
                            r.readInt("column typeOid"),
                            r.readInt("column typmod")));
        }
        return new Relation(xid, relationOid, namespace, name, identity, columns);
    }

    private Truncate readTruncate(MessageReader r) {
        int xid = readXid(r);
        int countAt = r.position();
        int count = r.readInt("relation count");
        int options = r.readUnsignedByte("options");
        if (count < 0 || count > r.remaining() / 4) {
            throw r.errorAt(
                    countAt,
                    "relation count "
                            + count
                            + " does not fit the "
                            + r.remaining()
                            + " bytes left");
        }
        int[] oids = new int[count];
        for (int i = 0; i < count; i++) {
            oids[i] = r.readInt("relation OID");
        }
        return new Truncate(xid, options, oids);
    }

    private LogicalMessage readLogicalMessage(MessageReader r) {
        if (!options.messages()) {
            throw r.errorAt(r.start(), "Message requires the messages option");
        }
        int xid = readXid(r);
        int flags = r.readUnsignedByte("flags");
        long messageLsn = r.readLong("messageLsn");
        String prefix = r.readString("prefix");
        int lengthAt = r.position();
        int length = r.readInt("content length");
        if (length < 0 || length > r.remaining()) {
            throw r.errorAt(
                    lengthAt,
                    "content length " + length + " outside the " + r.remaining() + " bytes left");
        }
        int contentOffset = r.position();
        r.skip(length);
        return new LogicalMessage(
                xid, flags, messageLsn, prefix, r.buffer(), contentOffset, length);
    }

    private StreamStart readStreamStart(MessageReader r) {
        requireStreaming(r);
        requireOutsideBlock(r);
        int xidAt = r.position();
        int xid = r.readInt("xid");
        if (xid == StreamableMessage.NO_XID) {
            throw r.errorAt(xidAt, "invalid transaction id 0");
        }
        int flagAt = r.position();
        int first = r.readUnsignedByte("firstSegment");
        if (first > 1) {
            throw r.errorAt(flagAt, "firstSegment must be 0 or 1 but is " + first);
        }
        return new StreamStart(xid, first == 1);
    }

    private StreamAbort readStreamAbort(MessageReader r) {
        requireOutsideBlock(r);
        int xid = r.readInt("xid");
        int subXid = r.readInt("subXid");
        // The server sends these exactly when parallel streaming was requested.
        if (options.streaming() == StreamingMode.PARALLEL) {
            return new StreamAbort(
                    xid, subXid, true, r.readLong("abortLsn"), r.readLong("abortTime"));
        }
        return StreamAbort.of(xid, subXid);
    }

    /** The per-change xid, present exactly inside a stream block. */
    private int readXid(MessageReader r) {
        if (!inStreamBlock) {
            return StreamableMessage.NO_XID;
        }
        int at = r.position();
        int xid = r.readInt("xid");
        if (xid == StreamableMessage.NO_XID) {
            throw r.errorAt(at, "invalid transaction id 0 inside a stream block");
        }
        return xid;
    }

    private void requireOutsideBlock(MessageReader r) {
        if (inStreamBlock) {
            throw r.errorAt(r.start(), "message not allowed inside a stream block");
        }
    }

    private void requireStreaming(MessageReader r) {
        if (!options.streamingEnabled()) {
            throw r.errorAt(
                    r.start(),
                    "streaming message but streaming is off (proto_version "
                            + options.protoVersion()
                            + ")");
        }
    }

    private void requireTwoPhase(MessageReader r) {
        if (!options.twoPhase()) {
            throw r.errorAt(
                    r.start(),
                    "two-phase message but two_phase is off (proto_version "
                            + options.protoVersion()
                            + ")");
        }
    }
}
