package io.pgwalstream.protocol;

import org.junit.jupiter.api.Test;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ReplicationFrameTest {

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    @Test
    void decodesXLogDataWithAPayloadView() {
        byte[] frame =
                bytes(
                        'w', //
                        0, 0, 0, 0x16, 0xB3, 0x74, 0xD8, 0x48, // dataStart
                        0, 0, 0, 0x16, 0xB3, 0x74, 0xD8, 0x60, // walEnd
                        0, 0, 0, 0, 0, 0, 0x01, 0x00, // sendTime
                        'E'); // payload

        XLogData w = (XLogData) ReplicationFrameDecoder.decode(frame);

        assertThat(w.dataStart()).isEqualTo(0x16_B374_D848L);
        assertThat(w.walEnd()).isEqualTo(0x16_B374_D860L);
        assertThat(w.sendTime()).isEqualTo(256L);
        assertThat(w.buffer()).isSameAs(frame);
        assertThat(w.payloadOffset()).isEqualTo(25);
        assertThat(w.payloadLength()).isEqualTo(1);
        assertThat(w.payloadCopy()).containsExactly('E');
        assertThat(w.payload().get(0)).isEqualTo((byte) 'E');
        assertThat(w.tag()).isEqualTo((byte) 'w');
    }

    @Test
    void xLogDataMayBeEmptyAndSitInsideALargerArray() {
        byte[] frame = ReplicationFrameEncoder.xLogData(1, 2, 3, new byte[0]);
        byte[] padded = new byte[frame.length + 10];
        System.arraycopy(frame, 0, padded, 5, frame.length);

        XLogData w = (XLogData) ReplicationFrameDecoder.decode(padded, 5, frame.length);

        assertThat(w.payloadOffset()).isEqualTo(30);
        assertThat(w.payloadLength()).isZero();
        assertThat(w).isEqualTo(new XLogData(1, 2, 3, new byte[0], 0, 0));
    }

    @Test
    void decodesKeepalive() {
        byte[] frame = bytes('k', 0, 0, 0, 1, 0, 0, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 7, 1);

        PrimaryKeepalive k = (PrimaryKeepalive) ReplicationFrameDecoder.decode(frame);

        assertThat(k).isEqualTo(new PrimaryKeepalive(0x1_0000_0020L, 7L, true));
        assertThat(
                        ((PrimaryKeepalive)
                                        ReplicationFrameDecoder.decode(
                                                ReplicationFrameEncoder.keepalive(5, 6, false)))
                                .replyRequested())
                .isFalse();
    }

    @Test
    void decodesHeapAndDirectBuffers() {
        byte[] frame = ReplicationFrameEncoder.xLogData(1, 2, 3, new byte[] {'E'});
        ByteBuffer direct = ByteBuffer.allocateDirect(frame.length).put(frame).flip();
        ByteBuffer heap = ByteBuffer.wrap(frame);

        XLogData fromHeap = (XLogData) ReplicationFrameDecoder.decode(heap);
        XLogData fromDirect = (XLogData) ReplicationFrameDecoder.decode(direct);

        assertThat(fromHeap.buffer()).isSameAs(frame);
        assertThat(fromDirect).isEqualTo(fromHeap);
        assertThat(direct.position()).isZero();
    }

    @Test
    void truncatedFramesReportTheMissingField() {
        byte[] w = ReplicationFrameEncoder.xLogData(1, 2, 3, new byte[0]);
        for (int length = 1; length < w.length; length++) {
            byte[] prefix = Arrays.copyOf(w, length);
            ProtocolDecodingException e =
                    catchThrowableOfType(
                            ProtocolDecodingException.class,
                            () -> ReplicationFrameDecoder.decode(prefix));
            assertThat(e.tagChar()).isEqualTo('w');
            assertThat(e.offset()).isEqualTo(length <= 8 ? 1 : length <= 16 ? 9 : 17);
            assertThat(e.getMessage()).contains("truncated XLogData header");
        }
        byte[] k = ReplicationFrameEncoder.keepalive(1, 2, true);
        for (int length = 1; length < k.length; length++) {
            byte[] prefix = Arrays.copyOf(k, length);
            ProtocolDecodingException e =
                    catchThrowableOfType(
                            ProtocolDecodingException.class,
                            () -> ReplicationFrameDecoder.decode(prefix));
            assertThat(e.tagChar()).isEqualTo('k');
            assertThat(e.offset()).isBetween(1, 17);
        }
    }

    @Test
    void longerKeepalivesAreTolerated() {
        byte[] k = Arrays.copyOf(ReplicationFrameEncoder.keepalive(1, 2, true), 20);

        assertThat(ReplicationFrameDecoder.decode(k)).isEqualTo(new PrimaryKeepalive(1, 2, true));
    }

    @Test
    void unknownAndEmptyFrames() {
        ProtocolDecodingException unknown =
                catchThrowableOfType(
                        ProtocolDecodingException.class,
                        () -> ReplicationFrameDecoder.decode(new byte[] {'s', 0}));
        ProtocolDecodingException empty =
                catchThrowableOfType(
                        ProtocolDecodingException.class,
                        () -> ReplicationFrameDecoder.decode(new byte[0]));

        assertThat(unknown.tagChar()).isEqualTo('s');
        assertThat(unknown.offset()).isZero();
        assertThat(empty.tag()).isEqualTo(ProtocolDecodingException.NO_TAG);
    }

    @Test
    void encodesStandbyStatusUpdateAsExactly34Bytes() {
        StandbyStatusUpdate update =
                new StandbyStatusUpdate(
                        0x0102_0304_0506_0708L,
                        0x1112_1314_1516_1718L,
                        0x2122_2324_2526_2728L,
                        0x3132_3334_3536_3738L,
                        true);

        byte[] encoded = update.toBytes();

        assertThat(encoded)
                .containsExactly(
                        bytes(
                                'r', //
                                0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, //
                                0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, //
                                0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, //
                                0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, //
                                1));
        assertThat(encoded).hasSize(StandbyStatusUpdate.LENGTH).hasSize(34);
        assertThat(new StandbyStatusUpdate(1, 2, 3, 4, false).toBytes()[33]).isZero();
    }

    @Test
    void encodesIntoCallerBuffers() {
        StandbyStatusUpdate update = new StandbyStatusUpdate(1, 2, 3, 4, false);
        byte[] dst = new byte[40];

        assertThat(update.encode(dst, 3)).isEqualTo(34);
        assertThat(Arrays.copyOfRange(dst, 3, 37)).isEqualTo(update.toBytes());

        ByteBuffer heap = ByteBuffer.allocate(40).position(2);
        update.encode(heap);
        assertThat(heap.position()).isEqualTo(36);
        assertThat(Arrays.copyOfRange(heap.array(), 2, 36)).isEqualTo(update.toBytes());

        ByteBuffer direct = ByteBuffer.allocateDirect(34);
        update.encode(direct);
        byte[] fromDirect = new byte[34];
        direct.flip().get(fromDirect);
        assertThat(fromDirect).isEqualTo(update.toBytes());

        assertThatThrownBy(() -> update.encode(new byte[33], 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> update.encode(ByteBuffer.allocate(33)))
                .isInstanceOf(BufferOverflowException.class);
    }

    @Test
    void encodesHotStandbyFeedback() {
        HotStandbyFeedback feedback = new HotStandbyFeedback(0x0102_0304_0506_0708L, 9, 1, -2, 0);

        assertThat(feedback.toBytes())
                .containsExactly(
                        bytes(
                                'h', //
                                1, 2, 3, 4, 5, 6, 7, 8, //
                                0, 0, 0, 9, //
                                0, 0, 0, 1, //
                                0xFF, 0xFF, 0xFF, 0xFE, //
                                0, 0, 0, 0));
        assertThat(HotStandbyFeedback.stop(5).toBytes()).hasSize(HotStandbyFeedback.LENGTH);
        assertThat(Arrays.copyOfRange(HotStandbyFeedback.stop(5).toBytes(), 9, 25)).containsOnly(0);
    }
}
