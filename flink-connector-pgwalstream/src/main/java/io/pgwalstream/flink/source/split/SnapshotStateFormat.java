package io.pgwalstream.flink.source.split;

import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.protocol.RelationColumn;
import io.pgwalstream.protocol.ReplicaIdentity;
import io.pgwalstream.replication.TableName;
import io.pgwalstream.snapshot.ChunkKey;
import io.pgwalstream.snapshot.HandOverFilter;
import io.pgwalstream.snapshot.SnapshotChunk;
import io.pgwalstream.snapshot.SnapshotTable;

import org.apache.flink.annotation.Internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of snapshot values in checkpoints (split and enumerator state alike). Strings that may
 * exceed 64 KiB (row filters, key bounds) are written as length and UTF-8, not with {@code
 * writeUTF}.
 */
@Internal
public final class SnapshotStateFormat {

    private static final int MAX_COLUMNS = 1_600; // PostgreSQL's MaxHeapAttributeNumber
    private static final int MAX_STRING_BYTES = 64 << 20;

    private SnapshotStateFormat() {}

    static void writeChunkSplit(SnapshotChunkSplit split, DataOutputStream out) throws IOException {
        out.writeUTF(split.groupId());
        out.writeUTF(split.snapshotName());
        out.writeLong(split.snapshotLsn().value());
        out.writeBoolean(split.emitted());
        writeTable(split.table(), out);
        writeChunk(split.chunk(), out);
    }

    static SnapshotChunkSplit readChunkSplit(DataInputStream in) throws IOException {
        String group = in.readUTF();
        String snapshotName = in.readUTF();
        Lsn lsn = Lsn.of(in.readLong());
        boolean emitted = in.readBoolean();
        SnapshotTable table = readTable(in);
        SnapshotChunk chunk = readChunk(in, table.name());
        return new SnapshotChunkSplit(group, table, chunk, snapshotName, lsn, emitted);
    }

    public static void writeTable(SnapshotTable table, DataOutputStream out) throws IOException {
        out.writeUTF(table.name().schema());
        out.writeUTF(table.name().table());
        out.writeInt(table.relationOid());
        out.writeByte(table.replicaIdentity().tag());
        out.writeShort(table.columns().size());
        for (RelationColumn column : table.columns()) {
            out.writeByte(column.flags());
            out.writeUTF(column.name());
            out.writeInt(column.typeOid());
            out.writeInt(column.typeModifier());
        }
        writeKey(table.chunkKey(), out);
        writeNullableString(table.rowFilter(), out);
    }

    public static SnapshotTable readTable(DataInputStream in) throws IOException {
        TableName name = TableName.of(in.readUTF(), in.readUTF());
        int oid = in.readInt();
        ReplicaIdentity identity = identity(in.readByte());
        int count = in.readShort();
        if (count < 1 || count > MAX_COLUMNS) {
            throw new IOException("Corrupt snapshot state: " + count + " columns");
        }
        List<RelationColumn> columns = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            columns.add(
                    new RelationColumn(in.readByte(), in.readUTF(), in.readInt(), in.readInt()));
        }
        ChunkKey key = readKey(in);
        String rowFilter = readNullableString(in);
        return new SnapshotTable(name, oid, identity, columns, key, rowFilter);
    }

    public static void writeHandOver(HandOverFilter filter, DataOutputStream out)
            throws IOException {
        out.writeInt(filter.ranges().size());
        for (HandOverFilter.Range range : filter.ranges()) {
            out.writeInt(range.relationOid());
            writeKey(range.key(), out);
            writeNullableString(range.lower(), out);
            writeNullableString(range.upper(), out);
            out.writeLong(range.snapshotLsn());
        }
    }

    public static HandOverFilter readHandOver(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > 10_000_000) {
            throw new IOException("Corrupt split state: " + count + " hand-over ranges");
        }
        if (count == 0) {
            return HandOverFilter.NONE;
        }
        List<HandOverFilter.Range> ranges = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ranges.add(
                    new HandOverFilter.Range(
                            in.readInt(),
                            readKey(in),
                            readNullableString(in),
                            readNullableString(in),
                            in.readLong()));
        }
        return new HandOverFilter(ranges);
    }

    private static void writeKey(ChunkKey key, DataOutputStream out) throws IOException {
        out.writeUTF(key.column());
        out.writeUTF(key.sqlType());
        out.writeInt(key.typeOid());
        out.writeBoolean(key.unique());
        out.writeBoolean(key.bytewiseCollation());
    }

    private static ChunkKey readKey(DataInputStream in) throws IOException {
        return new ChunkKey(
                in.readUTF(), in.readUTF(), in.readInt(), in.readBoolean(), in.readBoolean());
    }

    public static void writeChunk(SnapshotChunk chunk, DataOutputStream out) throws IOException {
        out.writeInt(chunk.index());
        out.writeInt(chunk.count());
        writeNullableString(chunk.lower(), out);
        writeNullableString(chunk.upper(), out);
    }

    public static SnapshotChunk readChunk(DataInputStream in, TableName table) throws IOException {
        int index = in.readInt();
        int count = in.readInt();
        if (index < 0 || index >= count) {
            throw new IOException("Corrupt snapshot state: chunk " + index + " of " + count);
        }
        return new SnapshotChunk(
                table, index, count, readNullableString(in), readNullableString(in));
    }

    private static ReplicaIdentity identity(byte tag) throws IOException {
        try {
            return ReplicaIdentity.fromCatalog((char) tag);
        } catch (IllegalArgumentException e) {
            throw new IOException("Corrupt snapshot state: replica identity " + tag, e);
        }
    }

    private static void writeNullableString(String value, DataOutputStream out) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readNullableString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > MAX_STRING_BYTES) {
            throw new IOException("Corrupt snapshot state: string of " + length + " bytes");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
