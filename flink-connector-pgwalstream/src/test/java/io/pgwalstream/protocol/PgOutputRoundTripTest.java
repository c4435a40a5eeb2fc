package io.pgwalstream.protocol;

import io.pgwalstream.protocol.SampleMessages.Sample;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class PgOutputRoundTripTest {

    static List<Sample> samples() {
        return SampleMessages.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void decodesWhatTheEncoderWrote(Sample sample) {
        PgOutputDecoder decoder = SampleMessages.decoderFor(sample);
        byte[] bytes = PgOutputEncoder.encode(sample.message());

        PgOutputMessage decoded = decoder.decode(bytes, 0x10L);

        assertThat(decoded).isEqualTo(sample.message());
        assertThat(decoded.getClass()).isEqualTo(sample.message().getClass());
        assertThat(decoded.tag()).isEqualTo(bytes[0]);
        // Encoding the decoded message reproduces the bytes exactly.
        assertThat(PgOutputEncoder.encode(decoded)).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void decodesFromTheMiddleOfALargerArray(Sample sample) {
        byte[] bytes = PgOutputEncoder.encode(sample.message());
        byte[] padded = new byte[bytes.length + 20];
        Arrays.fill(padded, (byte) 'x');
        System.arraycopy(bytes, 0, padded, 7, bytes.length);

        PgOutputMessage decoded =
                SampleMessages.decoderFor(sample).decode(padded, 7, bytes.length, 0L);

        assertThat(decoded).isEqualTo(sample.message());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void decodesHeapAndDirectByteBuffers(Sample sample) {
        byte[] bytes = PgOutputEncoder.encode(sample.message());
        ByteBuffer heap = ByteBuffer.allocate(bytes.length + 4);
        heap.position(4);
        heap.put(bytes).position(4);
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();

        assertThat(SampleMessages.decoderFor(sample).decode(heap.slice(), 0L))
                .isEqualTo(sample.message());
        assertThat(SampleMessages.decoderFor(sample).decode(direct, 0L))
                .isEqualTo(sample.message());
        assertThat(direct.position()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void decodesThroughAnXLogDataFrame(Sample sample) {
        byte[] frameBytes = ReplicationFrameEncoder.xLogData(0x5_0000_0000L, 99L, sample.message());

        XLogData frame = (XLogData) ReplicationFrameDecoder.decode(frameBytes);

        assertThat(frame.buffer()).isSameAs(frameBytes);
        assertThat(SampleMessages.decoderFor(sample).decode(frame)).isEqualTo(sample.message());
    }

    @Test
    void samplesCoverEveryMessageType() {
        Set<Class<?>> covered =
                samples().stream().map(s -> s.message().getClass()).collect(Collectors.toSet());
        Set<Class<?>> all =
                Arrays.stream(PgOutputMessage.class.getPermittedSubclasses())
                        .flatMap(
                                c ->
                                        c.isSealed()
                                                ? Arrays.stream(c.getPermittedSubclasses())
                                                : java.util.stream.Stream.of(c))
                        .collect(Collectors.toSet());
        assertThat(all).hasSize(19);
        assertThat(covered).isEqualTo(all);
    }

    @Test
    void tupleViewsPointIntoTheMessageBuffer() {
        byte[] bytes =
                PgOutputEncoder.encode(
                        SampleMessages.insert(
                                StreamableMessage.NO_XID, TupleBuilder.texts("abc", null)));

        Insert insert = (Insert) new PgOutputDecoder(SampleMessages.V1).decode(bytes, 0L);

        assertThat(insert.newTuple().buffer()).isSameAs(bytes);
        assertThat(insert.newTuple().startOffset()).isEqualTo(6);
        assertThat(insert.newTuple().endOffset()).isEqualTo(bytes.length);
        assertThat(insert.newTuple().valueOffset(0)).isEqualTo(13);
    }

    @Test
    void logicalMessageContentIsAView() {
        byte[] bytes =
                PgOutputEncoder.encode(
                        SampleMessages.message(StreamableMessage.NO_XID, 1, "p", "hello"));

        LogicalMessage message =
                (LogicalMessage)
                        new PgOutputDecoder(SampleMessages.V1_BINARY_MESSAGES).decode(bytes, 0L);

        assertThat(message.buffer()).isSameAs(bytes);
        assertThat(message.contentOffset()).isEqualTo(bytes.length - 5);
        assertThat(message.contentAsString()).isEqualTo("hello");
        assertThat(message.transactional()).isTrue();
        assertThat(message.content().remaining()).isEqualTo(5);
    }
}
