package io.pgwalstream.e2e.jobs.sequence;

import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Serializes {@link SequenceEnumeratorState}: a count, then the splits. */
public final class SequenceEnumeratorStateSerializer
        implements SimpleVersionedSerializer<SequenceEnumeratorState> {

    @Override
    public int getVersion() {
        return SequenceSplitSerializer.VERSION_1;
    }

    @Override
    public byte[] serialize(SequenceEnumeratorState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(state.unassigned().size());
            for (SequenceSplit split : state.unassigned()) {
                SequenceSplitSerializer.write(split, out);
            }
        }
        return bytes.toByteArray();
    }

    @Override
    public SequenceEnumeratorState deserialize(int version, byte[] serialized) throws IOException {
        SequenceSplitSerializer.checkVersion(version);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            int count = in.readInt();
            List<SequenceSplit> splits = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                splits.add(SequenceSplitSerializer.read(in));
            }
            return new SequenceEnumeratorState(splits);
        }
    }
}
