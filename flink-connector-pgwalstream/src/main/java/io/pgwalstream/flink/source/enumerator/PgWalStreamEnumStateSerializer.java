package io.pgwalstream.flink.source.enumerator;

import io.pgwalstream.flink.source.split.PgWalStreamSourceSplit;
import io.pgwalstream.flink.source.split.PgWalStreamSplit;
import io.pgwalstream.flink.source.split.PgWalStreamSplitSerializer;
import io.pgwalstream.flink.source.split.SlotGroup;
import io.pgwalstream.flink.source.split.SnapshotChunkSplit;
import io.pgwalstream.flink.source.split.SnapshotStateFormat;
import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.snapshot.SnapshotTable;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Versioned serializer of {@link PgWalStreamEnumState}. Each split is written with the split
 * serializer's version, so split layouts can evolve independently.
 *
 * <ul>
 *   <li>Version 1: assigned groups, unassigned stream splits.
 *   <li>Version 2: as version 1, then the initial snapshots in progress: per group the group, the
 *       held stream split (or none), snapshot name and LSN, start time, its tables once, and every
 *       chunk with its table's index and whether it is done.
 *   <li>Version 3: as version 2, each chunk's status followed by its rows (-1: not known).
 * </ul>
 */
@Internal
public final class PgWalStreamEnumStateSerializer
        implements SimpleVersionedSerializer<PgWalStreamEnumState> {

    public static final int VERSION_1 = 1;
    public static final int VERSION_2 = 2;
    public static final int VERSION_3 = 3;
    public static final int CURRENT_VERSION = VERSION_3;

    private static final int MAX_ENTRIES = 1_000_000;

    private static final int PENDING = 'P';
    private static final int ASSIGNED = 'A';
    private static final int DONE = 'D';

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(PgWalStreamEnumState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(state.assignedGroups().size());
            for (String group : state.assignedGroups().stream().sorted().toList()) {
                out.writeUTF(group);
            }
            out.writeInt(state.unassigned().size());
            for (PgWalStreamSplit split : state.unassigned()) {
                writeSplit(split, out);
            }
            out.writeInt(state.snapshots().size());
            for (GroupSnapshotState snapshot : state.snapshots()) {
                writeSnapshot(snapshot, out);
            }
        }
        return bytes.toByteArray();
    }

    private static void writeSplit(PgWalStreamSplit split, DataOutputStream out)
            throws IOException {
        byte[] serialized = PgWalStreamSplitSerializer.INSTANCE.serialize(split);
        out.writeInt(PgWalStreamSplitSerializer.INSTANCE.getVersion());
        out.writeInt(serialized.length);
        out.write(serialized);
    }

    private static PgWalStreamSplit readSplit(DataInputStream in) throws IOException {
        int splitVersion = in.readInt();
        byte[] bytes = new byte[count(in.readInt())];
        in.readFully(bytes);
        PgWalStreamSourceSplit split =
                PgWalStreamSplitSerializer.INSTANCE.deserialize(splitVersion, bytes);
        if (!(split instanceof PgWalStreamSplit stream)) {
            throw new IOException("Corrupt enumerator state: a chunk where a stream split belongs");
        }
        return stream;
    }

    private static void writeSnapshot(GroupSnapshotState snapshot, DataOutputStream out)
            throws IOException {
        PgWalStreamSplitSerializer.writeGroup(snapshot.group(), out);
        out.writeBoolean(snapshot.stream() != null);
        if (snapshot.stream() != null) {
            writeSplit(snapshot.stream(), out);
        }
        out.writeUTF(snapshot.snapshotName());
        out.writeLong(snapshot.snapshotLsn().value());
        out.writeLong(snapshot.startedMillis());
        List<SnapshotTable> tables =
                snapshot.chunks().stream().map(SnapshotChunkSplit::table).distinct().toList();
        out.writeInt(tables.size());
        for (SnapshotTable table : tables) {
            SnapshotStateFormat.writeTable(table, out);
        }
        out.writeInt(snapshot.chunks().size());
        for (SnapshotChunkSplit chunk : snapshot.chunks()) {
            out.writeInt(tables.indexOf(chunk.table()));
            String id = chunk.splitId();
            out.writeByte(
                    snapshot.done().contains(id)
                            ? DONE
                            : snapshot.assigned().contains(id) ? ASSIGNED : PENDING);
            out.writeLong(snapshot.chunkRows().getOrDefault(id, -1L));
            out.writeUTF(chunk.snapshotName());
            out.writeLong(chunk.snapshotLsn().value());
            SnapshotStateFormat.writeChunk(chunk.chunk(), out);
        }
    }

    private static GroupSnapshotState readSnapshot(DataInputStream in, int version)
            throws IOException {
        SlotGroup group = PgWalStreamSplitSerializer.readGroup(in);
        String groupId = group.id();
        PgWalStreamSplit stream = in.readBoolean() ? readSplit(in) : null;
        String snapshotName = in.readUTF();
        Lsn snapshotLsn = Lsn.of(in.readLong());
        long started = in.readLong();
        int tableCount = count(in.readInt());
        List<SnapshotTable> tables = new ArrayList<>(tableCount);
        for (int i = 0; i < tableCount; i++) {
            tables.add(SnapshotStateFormat.readTable(in));
        }
        int chunkCount = count(in.readInt());
        List<SnapshotChunkSplit> chunks = new ArrayList<>(chunkCount);
        Set<String> done = new HashSet<>();
        Set<String> assigned = new HashSet<>();
        Map<String, Long> rows = new HashMap<>();
        for (int i = 0; i < chunkCount; i++) {
            int table = in.readInt();
            if (table < 0 || table >= tables.size()) {
                throw new IOException("Corrupt enumerator state: table index " + table);
            }
            int status = in.readByte();
            long chunkRows = version >= VERSION_3 ? in.readLong() : -1;
            String chunkSnapshot = in.readUTF();
            Lsn chunkLsn = Lsn.of(in.readLong());
            SnapshotChunkSplit chunk =
                    new SnapshotChunkSplit(
                            groupId,
                            tables.get(table),
                            SnapshotStateFormat.readChunk(in, tables.get(table).name()),
                            chunkSnapshot,
                            chunkLsn,
                            false);
            chunks.add(chunk);
            if (chunkRows >= 0) {
                rows.put(chunk.splitId(), chunkRows);
            }
            switch (status) {
                case DONE -> done.add(chunk.splitId());
                case ASSIGNED -> assigned.add(chunk.splitId());
                case PENDING -> {}
                default ->
                        throw new IOException("Corrupt enumerator state: chunk status " + status);
            }
        }
        return new GroupSnapshotState(
                group, stream, snapshotName, snapshotLsn, started, chunks, done, assigned, rows);
    }

    @Override
    public PgWalStreamEnumState deserialize(int version, byte[] serialized) throws IOException {
        if (version < VERSION_1 || version > CURRENT_VERSION) {
            throw new IOException(
                    "Unknown pg-walstream enumerator state version "
                            + version
                            + " (this build reads up to "
                            + CURRENT_VERSION
                            + "): the state was written by a newer connector version");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            int groups = count(in.readInt());
            Set<String> assigned = new HashSet<>();
            for (int i = 0; i < groups; i++) {
                assigned.add(in.readUTF());
            }
            int splits = count(in.readInt());
            List<PgWalStreamSplit> unassigned = new ArrayList<>();
            for (int i = 0; i < splits; i++) {
                unassigned.add(readSplit(in));
            }
            List<GroupSnapshotState> snapshots = new ArrayList<>();
            if (version >= VERSION_2) {
                int count = count(in.readInt());
                for (int i = 0; i < count; i++) {
                    snapshots.add(readSnapshot(in, version));
                }
            }
            return new PgWalStreamEnumState(assigned, unassigned, snapshots);
        }
    }

    private static int count(int n) throws IOException {
        if (n < 0 || n > MAX_ENTRIES) {
            throw new IOException("Corrupt enumerator state: count " + n);
        }
        return n;
    }
}
