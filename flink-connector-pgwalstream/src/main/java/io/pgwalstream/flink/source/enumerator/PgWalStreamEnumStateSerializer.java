package io.pgwalstream.flink.source.enumerator;

import io.pgwalstream.flink.source.split.PgWalStreamSplit;
import io.pgwalstream.flink.source.split.PgWalStreamSplitSerializer;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Versioned serializer of {@link PgWalStreamEnumState}. Each unassigned split is written with the
 * split serializer's version, so split layouts can evolve independently.
 */
@Internal
public final class PgWalStreamEnumStateSerializer
        implements SimpleVersionedSerializer<PgWalStreamEnumState> {

    public static final int VERSION_1 = 1;
    public static final int CURRENT_VERSION = VERSION_1;

    private static final int MAX_ENTRIES = 1_000_000;

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
                byte[] serialized = PgWalStreamSplitSerializer.INSTANCE.serialize(split);
                out.writeInt(PgWalStreamSplitSerializer.INSTANCE.getVersion());
                out.writeInt(serialized.length);
                out.write(serialized);
            }
        }
        return bytes.toByteArray();
    }

    @Override
    public PgWalStreamEnumState deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION_1) {
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
                int splitVersion = in.readInt();
                byte[] bytes = new byte[count(in.readInt())];
                in.readFully(bytes);
                unassigned.add(
                        PgWalStreamSplitSerializer.INSTANCE.deserialize(splitVersion, bytes));
            }
            return new PgWalStreamEnumState(assigned, unassigned);
        }
    }

    private static int count(int n) throws IOException {
        if (n < 0 || n > MAX_ENTRIES) {
            throw new IOException("Corrupt enumerator state: count " + n);
        }
        return n;
    }
}
