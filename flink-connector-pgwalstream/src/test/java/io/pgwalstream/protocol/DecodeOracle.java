package io.pgwalstream.protocol;

import java.lang.management.ManagementFactory;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What any input may do to a decoder: produce a message consistent with the bytes, or throw a
 * well-formed {@link ProtocolDecodingException}, leaving the stream state untouched; never anything
 * else, and never allocate much more than the input size.
 */
final class DecodeOracle {

    static final long LSN = 0x77_0000_1234L;

    /** Fixed allowance for the exception and its stack trace; the rest scales with the input. */
    private static final long ALLOCATION_BASE = 64 * 1024;

    private static final long ALLOCATION_PER_INPUT_BYTE = 32;

    private static final com.sun.management.ThreadMXBean THREADS = threadBean();

    static final AtomicLong PGOUTPUT_DECODES = new AtomicLong();
    static final AtomicLong FRAME_DECODES = new AtomicLong();

    private DecodeOracle() {}

    /** Decodes {@code bytes} and checks the outcome; returns the message or null on rejection. */
    static PgOutputMessage check(PgOutputDecoder decoder, byte[] bytes) {
        PGOUTPUT_DECODES.incrementAndGet();
        boolean wasInBlock = decoder.inStreamBlock();
        int blockXid = decoder.streamXid();
        long before = allocatedBytes();
        PgOutputMessage message;
        try {
            message = decoder.decode(bytes, LSN);
        } catch (ProtocolDecodingException e) {
            checkAllocation(before, decoder, bytes);
            assertThat(e.tag())
                    .as("tag of %s", hex(bytes))
                    .isEqualTo(
                            bytes.length == 0 ? ProtocolDecodingException.NO_TAG : bytes[0] & 0xFF);
            assertThat(e.offset()).as("offset of %s", hex(bytes)).isBetween(0, bytes.length);
            assertThat(e.lsn()).isEqualTo(LSN);
            assertThat(e.getMessage()).contains("offset " + e.offset());
            assertThat(decoder.inStreamBlock()).isEqualTo(wasInBlock);
            assertThat(decoder.streamXid()).isEqualTo(blockXid);
            return null;
        } catch (RuntimeException | Error e) {
            throw new AssertionError("decoding " + hex(bytes) + " threw " + e, e);
        }
        if (!(message instanceof StreamStart || message instanceof StreamStop)) {
            checkAllocation(before, decoder, bytes);
        }
        assertThat(message).isNotNull();
        assertThat(message.tag()).isEqualTo(bytes[0]);
        if (message instanceof StreamStart) {
            assertThat(decoder.inStreamBlock()).isTrue();
            assertThat(decoder.streamXid()).isEqualTo(((StreamStart) message).xid());
        } else if (message instanceof StreamStop) {
            assertThat(decoder.inStreamBlock()).isFalse();
        } else {
            assertThat(decoder.inStreamBlock()).isEqualTo(wasInBlock);
        }
        if (message instanceof StreamableMessage) {
            assertThat(((StreamableMessage) message).hasXid()).isEqualTo(wasInBlock);
        }
        // Decoding is exact: what was accepted re-encodes to the same bytes, unless a name held
        // invalid UTF-8 (which decodes to U+FFFD and cannot come back).
        byte[] again = PgOutputEncoder.encode(message);
        if (!message.toString().contains("\uFFFD")) {
            assertThat(again).as("re-encoding %s", message).isEqualTo(bytes);
        }
        return message;
    }

    /** Decodes a CopyData payload and checks the outcome. */
    static ReplicationFrame checkFrame(byte[] bytes) {
        FRAME_DECODES.incrementAndGet();
        try {
            ReplicationFrame frame = ReplicationFrameDecoder.decode(bytes);
            assertThat(frame.tag()).isEqualTo(bytes[0]);
            if (frame instanceof XLogData) {
                XLogData w = (XLogData) frame;
                assertThat(w.buffer()).isSameAs(bytes);
                assertThat(w.payloadOffset() + w.payloadLength()).isEqualTo(bytes.length);
            }
            return frame;
        } catch (ProtocolDecodingException e) {
            assertThat(e.tag())
                    .isEqualTo(
                            bytes.length == 0 ? ProtocolDecodingException.NO_TAG : bytes[0] & 0xFF);
            assertThat(e.offset()).isBetween(0, bytes.length);
            return null;
        } catch (RuntimeException | Error e) {
            throw new AssertionError("decoding frame " + hex(bytes) + " threw " + e, e);
        }
    }

    /**
     * Bounds what one decode allocated. The first run of a code path also pays one-time costs
     * (class loading, string-concatenation bootstraps), so an over-budget decode is repeated, with
     * the decoder in the same state, and the cheapest run counts.
     */
    private static void checkAllocation(long before, PgOutputDecoder decoder, byte[] bytes) {
        if (THREADS == null) {
            return;
        }
        long limit = ALLOCATION_BASE + ALLOCATION_PER_INPUT_BYTE * bytes.length;
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        for (int retry = 0; retry < 2 && allocated > limit; retry++) {
            long start = THREADS.getCurrentThreadAllocatedBytes();
            try {
                decoder.decode(bytes, LSN);
            } catch (ProtocolDecodingException expected) {
                // Same outcome as before; only the allocation matters here.
            }
            allocated = Math.min(allocated, THREADS.getCurrentThreadAllocatedBytes() - start);
        }
        assertThat(allocated)
                .as("bytes allocated decoding %s", hex(bytes))
                .isLessThanOrEqualTo(limit);
    }

    private static long allocatedBytes() {
        return THREADS == null ? -1 : THREADS.getCurrentThreadAllocatedBytes();
    }

    private static com.sun.management.ThreadMXBean threadBean() {
        try {
            java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
            if (bean instanceof com.sun.management.ThreadMXBean) {
                com.sun.management.ThreadMXBean sun = (com.sun.management.ThreadMXBean) bean;
                if (sun.isThreadAllocatedMemorySupported()) {
                    sun.setThreadAllocatedMemoryEnabled(true);
                    return sun;
                }
            }
        } catch (RuntimeException | LinkageError e) {
            // Not HotSpot: skip the allocation bound.
        }
        return null;
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
