package io.pgwalstream.flink.source.split;

import io.pgwalstream.changes.ChangePosition;
import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.protocol.PgOutputOptions;
import io.pgwalstream.protocol.StreamingMode;
import io.pgwalstream.replication.TableName;
import io.pgwalstream.snapshot.HandOverFilter;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Versioned serializer of the source's splits. A new layout gets a new version constant and a new
 * read method; old read methods stay forever (checked-in fixtures test each one).
 *
 * <ul>
 *   <li>Version 1: a stream split ({@link PgWalStreamSplit}).
 *   <li>Version 2: a kind byte ({@code 'S'} stream, {@code 'C'} snapshot chunk), then a stream
 *       split as in version 1 followed by its hand-over filter, or a {@link SnapshotChunkSplit}.
 * </ul>
 */
@Internal
public final class PgWalStreamSplitSerializer
        implements SimpleVersionedSerializer<PgWalStreamSourceSplit> {

    public static final int VERSION_1 = 1;
    public static final int VERSION_2 = 2;
    public static final int CURRENT_VERSION = VERSION_2;

    private static final int STREAM = 'S';
    private static final int CHUNK = 'C';

    public static final PgWalStreamSplitSerializer INSTANCE = new PgWalStreamSplitSerializer();

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(PgWalStreamSourceSplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            if (split instanceof PgWalStreamSplit stream) {
                out.writeByte(STREAM);
                write(stream, out);
                SnapshotStateFormat.writeHandOver(stream.handOver(), out);
            } else {
                SnapshotChunkSplit chunk = (SnapshotChunkSplit) split;
                out.writeByte(CHUNK);
                SnapshotStateFormat.writeChunkSplit(chunk, out);
            }
        }
        return bytes.toByteArray();
    }

    @Override
    public PgWalStreamSourceSplit deserialize(int version, byte[] serialized) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            switch (version) {
                case VERSION_1:
                    return readV1(in);
                case VERSION_2:
                    int kind = in.readByte();
                    if (kind == STREAM) {
                        PgWalStreamSplit stream = readV1(in);
                        return stream.afterSnapshot(
                                stream.startLsn(), SnapshotStateFormat.readHandOver(in));
                    }
                    if (kind == CHUNK) {
                        return SnapshotStateFormat.readChunkSplit(in);
                    }
                    throw new IOException("Corrupt split state: split kind " + kind);
                default:
                    throw new IOException(
                            "Unknown pg-walstream split serializer version "
                                    + version
                                    + " (this build reads up to "
                                    + CURRENT_VERSION
                                    + "): the state was written by a newer connector version");
            }
        }
    }

    /** The stream split layout of version 1 (and of version 2 after its kind byte). */
    public static void write(PgWalStreamSplit split, DataOutputStream out) throws IOException {
        writeGroup(split.group(), out);
        PgOutputOptions o = split.options();
        out.writeByte(o.protoVersion());
        out.writeByte(streamingCode(o.streaming()));
        out.writeBoolean(o.binary());
        out.writeBoolean(o.messages());
        out.writeBoolean(o.twoPhase());
        out.writeBoolean(split.origin() != null);
        if (split.origin() != null) {
            out.writeUTF(split.origin());
        }
        out.writeLong(split.startLsn().value());
        out.writeLong(split.stopLsn().value());
        out.writeBoolean(split.lastEmitted() != null);
        if (split.lastEmitted() != null) {
            out.writeLong(split.lastEmitted().commitLsn());
            out.writeLong(split.lastEmitted().commitEndLsn());
            out.writeLong(split.lastEmitted().index());
        }
        out.writeLong(split.confirmableLsn().value());
    }

    // Explicit codes: enum ordinals must not decide the bytes of checkpointed state.
    private static int streamingCode(StreamingMode mode) {
        switch (mode) {
            case OFF:
                return 0;
            case ON:
                return 1;
            default:
                return 2;
        }
    }

    private static StreamingMode streamingMode(int code) throws IOException {
        switch (code) {
            case 0:
                return StreamingMode.OFF;
            case 1:
                return StreamingMode.ON;
            case 2:
                return StreamingMode.PARALLEL;
            default:
                throw new IOException("Corrupt split state: streaming mode code " + code);
        }
    }

    /** A slot group: slot, publication, tables (the start of a stream split's layout). */
    public static void writeGroup(SlotGroup group, DataOutputStream out) throws IOException {
        out.writeUTF(group.slotName());
        out.writeUTF(group.publication());
        out.writeInt(group.tables().size());
        for (TableName table : group.tables()) {
            out.writeUTF(table.schema());
            out.writeUTF(table.table());
        }
    }

    public static SlotGroup readGroup(DataInputStream in) throws IOException {
        String slot = in.readUTF();
        String publication = in.readUTF();
        int tableCount = in.readInt();
        if (tableCount < 0 || tableCount > 1_000_000) {
            throw new IOException("Corrupt split state: " + tableCount + " tables");
        }
        List<TableName> tables = new ArrayList<>(tableCount);
        for (int i = 0; i < tableCount; i++) {
            tables.add(TableName.of(in.readUTF(), in.readUTF()));
        }
        return new SlotGroup(slot, publication, tables);
    }

    public static PgWalStreamSplit readV1(DataInputStream in) throws IOException {
        SlotGroup group = readGroup(in);
        int proto = in.readByte();
        StreamingMode streaming = streamingMode(in.readByte());
        PgOutputOptions options =
                new PgOutputOptions(
                        proto, streaming, in.readBoolean(), in.readBoolean(), in.readBoolean());
        String origin = in.readBoolean() ? in.readUTF() : null;
        Lsn start = Lsn.of(in.readLong());
        Lsn stop = Lsn.of(in.readLong());
        ChangePosition last =
                in.readBoolean()
                        ? new ChangePosition(in.readLong(), in.readLong(), in.readLong())
                        : null;
        Lsn confirmable = Lsn.of(in.readLong());
        return new PgWalStreamSplit(
                group, options, origin, start, stop, last, confirmable, HandOverFilter.NONE);
    }
}
