package io.pgwalstream.e2e.jobs.sequence;

import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;

/** Serializes {@link SequenceSplit}s: {@code index (int), next (long), end (long)}. */
public final class SequenceSplitSerializer implements SimpleVersionedSerializer<SequenceSplit> {

    static final int VERSION_1 = 1;

    @Override
    public int getVersion() {
        return VERSION_1;
    }

    @Override
    public byte[] serialize(SequenceSplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(20);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(split, out);
        }
        return bytes.toByteArray();
    }

    @Override
    public SequenceSplit deserialize(int version, byte[] serialized) throws IOException {
        checkVersion(version);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            return read(in);
        }
    }

    static void write(SequenceSplit split, DataOutput out) throws IOException {
        out.writeInt(split.index());
        out.writeLong(split.next());
        out.writeLong(split.end());
    }

    static SequenceSplit read(DataInput in) throws IOException {
        return new SequenceSplit(in.readInt(), in.readLong(), in.readLong());
    }

    static void checkVersion(int version) throws IOException {
        if (version != VERSION_1) {
            throw new IOException(
                    "Unknown serializer version " + version + " (known: " + VERSION_1 + ")");
        }
    }
}
