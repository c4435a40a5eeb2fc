package io.pgwalstream.replication;

import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.protocol.PrimaryKeepalive;
import io.pgwalstream.protocol.ReplicationFrameDecoder;
import io.pgwalstream.protocol.ReplicationFrameEncoder;

import org.junit.jupiter.api.Test;
import org.postgresql.copy.CopyDual;
import org.postgresql.util.ByteStreamWriter;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PhysicalCopyDualTest {

    private static final long SWITCH_POINT = 0x3032920L;

    @Test
    void tracksTheEndOfTheWalHandedOverAndLeavesFramesAsSent() throws Exception {
        FakeCopy server = new FakeCopy();
        // On a finished timeline the server sends the switch point as walEnd in every chunk.
        byte[] first = ReplicationFrameEncoder.xLogData(0x3000100L, SWITCH_POINT, 7, new byte[100]);
        byte[] sent = first.clone();
        server.frames.add(first);
        server.frames.add(ReplicationFrameEncoder.keepalive(0x3000164L, 8, false));
        PhysicalCopyDual copy = new PhysicalCopyDual(server, Lsn.of(0x3000100L));

        assertThat(copy.readFromCopy(true)).isEqualTo(sent);
        assertThat(copy.dataEnd()).isEqualTo(Lsn.of(0x3000164L));
        assertThat(ReplicationFrameDecoder.decode(copy.readFromCopy(true)))
                .isInstanceOf(PrimaryKeepalive.class);
        assertThat(copy.dataEnd()).isEqualTo(Lsn.of(0x3000164L));
        assertThat(copy.endedByClient()).isFalse();
    }

    @Test
    void onTheCurrentTimelineFramesPassUntouched() throws Exception {
        FakeCopy server = new FakeCopy();
        byte[] frame = ReplicationFrameEncoder.xLogData(0x100L, 0x9000L, 1, new byte[16]);
        byte[] sent = frame.clone();
        server.frames.add(frame);
        PhysicalCopyDual copy = new PhysicalCopyDual(server, Lsn.of(0x100L));

        assertThat(copy.readFromCopy(true)).isEqualTo(sent);
        assertThat(copy.dataEnd()).isEqualTo(Lsn.of(0x110L));
        assertThat(copy.readFromCopy(false)).as("nothing pending").isNull();
        assertThat(copy.dataEnd()).isEqualTo(Lsn.of(0x110L));
    }

    @Test
    void beforeAnyDataTheEndIsTheStart() {
        PhysicalCopyDual copy = new PhysicalCopyDual(new FakeCopy(), Lsn.of(0x42L));
        assertThat(copy.dataEnd()).isEqualTo(Lsn.of(0x42L));
    }

    @Test
    void recordsThatTheSessionEndedTheStreamAndDelegatesTheRest() throws Exception {
        FakeCopy server = new FakeCopy();
        PhysicalCopyDual copy = new PhysicalCopyDual(server, Lsn.of(1));
        copy.writeToCopy(new byte[] {'r', 1, 2}, 1, 2);
        copy.flushCopy();
        assertThat(copy.endCopy()).isEqualTo(-1L);
        assertThat(copy.endedByClient()).isTrue();
        assertThat(server.calls).containsExactly("write [1, 2]", "flush", "endCopy");
        assertThat(copy.isActive()).isFalse();
    }

    /** Replays frames; records what the client does. */
    private static final class FakeCopy implements CopyDual {
        final Deque<byte[]> frames = new ArrayDeque<>();
        final List<String> calls = new ArrayList<>();
        boolean active = true;

        @Override
        public byte[] readFromCopy() {
            return readFromCopy(true);
        }

        @Override
        public byte[] readFromCopy(boolean block) {
            return frames.pollFirst();
        }

        @Override
        public void writeToCopy(byte[] buf, int off, int siz) {
            calls.add("write " + Arrays.toString(Arrays.copyOfRange(buf, off, off + siz)));
        }

        @Override
        public void writeToCopy(ByteStreamWriter from) {
            calls.add("write stream");
        }

        @Override
        public void flushCopy() {
            calls.add("flush");
        }

        @Override
        public long endCopy() {
            calls.add("endCopy");
            active = false;
            return -1;
        }

        @Override
        public int getFieldCount() {
            return 0;
        }

        @Override
        public int getFormat() {
            return 0;
        }

        @Override
        public int getFieldFormat(int field) {
            return 0;
        }

        @Override
        public boolean isActive() {
            return active;
        }

        @Override
        public void cancelCopy() {
            calls.add("cancel");
        }

        @Override
        public long getHandledRowCount() {
            return 0;
        }
    }
}
