package io.pgwalstream.protocol;

import io.pgwalstream.protocol.SampleMessages.Sample;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class PgOutputDecoderErrorTest {

    private static final long LSN = 0x2A_0000_1000L;

    static List<Sample> samples() {
        return SampleMessages.all();
    }

    private static ProtocolDecodingException decodeFailure(PgOutputDecoder decoder, byte[] bytes) {
        return catchThrowableOfType(
                ProtocolDecodingException.class, () -> decoder.decode(bytes, LSN));
    }

    private static ProtocolDecodingException decodeFailure(PgOutputOptions options, byte[] bytes) {
        return decodeFailure(new PgOutputDecoder(options), bytes);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void everyTruncationFailsWithTagAndOffset(Sample sample) {
        byte[] bytes = PgOutputEncoder.encode(sample.message());
        for (int length = 0; length < bytes.length; length++) {
            PgOutputDecoder decoder = SampleMessages.decoderFor(sample);
            byte[] prefix = Arrays.copyOf(bytes, length);

            ProtocolDecodingException e = decodeFailure(decoder, prefix);

            assertThat(e).as("prefix of %d bytes", length).isNotNull();
            assertThat(e.tag())
                    .isEqualTo(length == 0 ? ProtocolDecodingException.NO_TAG : bytes[0] & 0xFF);
            assertThat(e.offset()).isBetween(0, length);
            assertThat(e.lsn()).isEqualTo(LSN);
            assertThat(decoder.inStreamBlock()).isEqualTo(sample.inStream());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void trailingBytesAreRejected(Sample sample) {
        byte[] bytes = PgOutputEncoder.encode(sample.message());
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);

        ProtocolDecodingException e = decodeFailure(SampleMessages.decoderFor(sample), longer);

        assertThat(e).isNotNull();
        assertThat(e.detail()).contains("trailing");
        assertThat(e.offset()).isEqualTo(bytes.length);
    }

    @Test
    void messageNamesTagOffsetAndLsn() {
        ProtocolDecodingException e = decodeFailure(SampleMessages.V1, new byte[] {'B', 0, 0});

        assertThat(e.tagChar()).isEqualTo('B');
        assertThat(e.offset()).isEqualTo(1);
        assertThat(e.hasLsn()).isTrue();
        assertThat(e.getMessage())
                .contains("truncated finalLsn")
                .contains("tag 'B' (0x42)")
                .contains("offset 1")
                .contains("lsn 2A/1000");
    }

    @Test
    void emptyMessageHasNoTag() {
        ProtocolDecodingException e = decodeFailure(SampleMessages.V1, new byte[0]);

        assertThat(e.tag()).isEqualTo(ProtocolDecodingException.NO_TAG);
        assertThat(e.tagChar()).isEqualTo('\0');
        assertThat(e.getMessage()).contains("no tag").contains("offset 0");
    }

    @Test
    void unknownTags() {
        for (int tag : new int[] {'Z', 'w', 'k', 0, 0xFF, 'n'}) {
            ProtocolDecodingException e =
                    decodeFailure(SampleMessages.V4_PARALLEL, new byte[] {(byte) tag, 1, 2});
            assertThat(e.tag()).isEqualTo(tag);
            assertThat(e.offset()).isZero();
            assertThat(e.detail()).contains("unknown pgoutput message tag");
        }
        assertThat(decodeFailure(SampleMessages.V1, new byte[] {(byte) 0xFF}).getMessage())
                .contains("tag 0xFF");
    }

    @Test
    void streamingMessagesNeedStreaming() {
        PgOutputOptions v2NoStreaming = PgOutputOptions.of(2);
        byte[] start = PgOutputEncoder.encode(new StreamStart(5, true));
        byte[] commit = PgOutputEncoder.encode(new StreamCommit(5, 1, 2, 3));
        for (PgOutputOptions options : List.of(SampleMessages.V1, v2NoStreaming)) {
            for (byte[] bytes : List.of(start, commit, new byte[] {'E'})) {
                ProtocolDecodingException e = decodeFailure(options, bytes);
                assertThat(e.detail()).contains("streaming is off");
                assertThat(e.offset()).isZero();
                assertThat(e.tag()).isEqualTo(bytes[0]);
            }
        }
    }

    @Test
    void twoPhaseMessagesNeedTwoPhase() {
        PgOutputOptions v3Streaming = PgOutputOptions.of(3).withStreaming(StreamingMode.ON);
        List<PgOutputMessage> twoPhase =
                List.of(
                        new BeginPrepare(1, 2, 3, 4, "g"),
                        new Prepare(1, 2, 3, 4, "g"),
                        new CommitPrepared(1, 2, 3, 4, "g"),
                        new RollbackPrepared(1, 2, 3, 4, 5, "g"),
                        new StreamPrepare(1, 2, 3, 4, "g"));
        for (PgOutputMessage message : twoPhase) {
            ProtocolDecodingException e =
                    decodeFailure(v3Streaming, PgOutputEncoder.encode(message));
            assertThat(e.detail()).contains("two_phase is off");
            assertThat(e.tag()).isEqualTo(message.tag());
        }
    }

    @Test
    void streamPrepareNeedsStreamingToo() {
        PgOutputOptions twoPhaseOnly = PgOutputOptions.of(3).withTwoPhase(true);

        ProtocolDecodingException e =
                decodeFailure(
                        twoPhaseOnly, PgOutputEncoder.encode(new StreamPrepare(1, 2, 3, 4, "g")));

        assertThat(e.detail()).contains("streaming is off");
    }

    @Test
    void messagesNeedTheMessagesOption() {
        byte[] bytes =
                PgOutputEncoder.encode(
                        SampleMessages.message(StreamableMessage.NO_XID, 1, "p", "c"));

        assertThat(decodeFailure(SampleMessages.V1, bytes).detail()).contains("messages option");
    }

    @Test
    void binaryColumnsNeedBinaryMode() {
        byte[] bytes =
                PgOutputEncoder.encode(
                        SampleMessages.insert(
                                StreamableMessage.NO_XID,
                                TupleBuilder.tuple().text("a").binary(new byte[] {1}).build()));

        ProtocolDecodingException e = decodeFailure(SampleMessages.V1, bytes);

        assertThat(e.detail()).contains("binary column 1");
        assertThat(e.offset()).isEqualTo(14);
    }

    @Test
    void strayStreamAbortIsAcceptedWithoutStreaming() {
        byte[] bytes = PgOutputEncoder.encode(StreamAbort.of(9, 9));

        assertThat(new PgOutputDecoder(SampleMessages.V1).decode(bytes, LSN))
                .isEqualTo(StreamAbort.of(9, 9));
    }

    @Test
    void parallelAbortFieldsAreRequiredExactlyInParallelMode() {
        byte[] withInfo = PgOutputEncoder.encode(new StreamAbort(9, 9, true, 1, 2));
        byte[] withoutInfo = PgOutputEncoder.encode(StreamAbort.of(9, 9));

        assertThat(decodeFailure(SampleMessages.V2_STREAMING, withInfo).detail())
                .contains("trailing");
        assertThat(decodeFailure(SampleMessages.V4_PARALLEL, withoutInfo).detail())
                .contains("truncated abortLsn");
    }

    @Test
    void streamStopOutsideABlock() {
        ProtocolDecodingException e = decodeFailure(SampleMessages.V2_STREAMING, new byte[] {'E'});

        assertThat(e.detail()).contains("without a Stream Start");
    }

    @Test
    void transactionControlIsRejectedInsideABlock() {
        List<PgOutputMessage> outsideOnly =
                List.of(
                        new Begin(1, 2, 3),
                        new Commit(1, 2, 3),
                        new StreamStart(5, false),
                        new StreamCommit(5, 1, 2, 3),
                        StreamAbort.of(5, 5),
                        new BeginPrepare(1, 2, 3, 4, "g"),
                        new Prepare(1, 2, 3, 4, "g"),
                        new CommitPrepared(1, 2, 3, 4, "g"),
                        new RollbackPrepared(1, 2, 3, 4, 5, "g"),
                        new StreamPrepare(1, 2, 3, 4, "g"));
        for (PgOutputMessage message : outsideOnly) {
            PgOutputDecoder decoder = new PgOutputDecoder(SampleMessages.V3_TWO_PHASE);
            decoder.decode(PgOutputEncoder.encode(new StreamStart(5, true)), 0L);

            ProtocolDecodingException e = decodeFailure(decoder, PgOutputEncoder.encode(message));

            assertThat(e.detail()).as("%s", message).contains("inside a stream block");
            assertThat(decoder.inStreamBlock()).isTrue();
            assertThat(decoder.streamXid()).isEqualTo(5);
        }
    }

    @Test
    void xidZeroIsRejected() {
        PgOutputDecoder decoder = new PgOutputDecoder(SampleMessages.V2_STREAMING);
        assertThat(
                        decodeFailure(decoder, PgOutputEncoder.encode(new StreamStart(0, true)))
                                .detail())
                .contains("invalid transaction id 0");

        decoder.decode(PgOutputEncoder.encode(new StreamStart(5, true)), 0L);
        byte[] insertWithZeroXid =
                new ByteWriter()
                        .u8('I')
                        .i32(0)
                        .i32(16_384)
                        .u8('N')
                        .bytes(TupleBuilder.texts("a").buffer())
                        .toByteArray();
        ProtocolDecodingException e = decodeFailure(decoder, insertWithZeroXid);
        assertThat(e.detail()).contains("invalid transaction id 0");
        assertThat(e.offset()).isEqualTo(1);
    }

    @Test
    void firstSegmentMustBeABoolean() {
        byte[] bytes = {'S', 0, 0, 0, 5, 2};

        ProtocolDecodingException e = decodeFailure(SampleMessages.V2_STREAMING, bytes);

        assertThat(e.detail()).contains("firstSegment");
        assertThat(e.offset()).isEqualTo(5);
    }

    @Test
    void resetLeavesTheStreamBlock() {
        PgOutputDecoder decoder = new PgOutputDecoder(SampleMessages.V2_STREAMING);
        decoder.decode(PgOutputEncoder.encode(new StreamStart(5, true)), 0L);
        assertThat(decoder.inStreamBlock()).isTrue();

        decoder.reset();

        assertThat(decoder.inStreamBlock()).isFalse();
        assertThat(decoder.streamXid()).isEqualTo(StreamableMessage.NO_XID);
        Insert insert =
                (Insert)
                        decoder.decode(
                                PgOutputEncoder.encode(
                                        SampleMessages.insert(
                                                StreamableMessage.NO_XID, TupleBuilder.texts("a"))),
                                0L);
        assertThat(insert.hasXid()).isFalse();
    }

    @Test
    void nonZeroFlagsAreRejected() {
        List<PgOutputMessage> flagged =
                List.of(
                        new Commit(1, 2, 3),
                        new Prepare(1, 2, 3, 4, "g"),
                        new CommitPrepared(1, 2, 3, 4, "g"),
                        new RollbackPrepared(1, 2, 3, 4, 5, "g"),
                        new StreamPrepare(1, 2, 3, 4, "g"));
        for (PgOutputMessage message : flagged) {
            byte[] bytes = PgOutputEncoder.encode(message);
            bytes[1] = 1;
            ProtocolDecodingException e = decodeFailure(SampleMessages.V4_PARALLEL, bytes);
            assertThat(e.detail()).contains("flags must be 0");
            assertThat(e.offset()).isEqualTo(1);
        }
        byte[] streamCommit = PgOutputEncoder.encode(new StreamCommit(5, 1, 2, 3));
        streamCommit[5] = (byte) 0x80;
        assertThat(decodeFailure(SampleMessages.V2_STREAMING, streamCommit).offset()).isEqualTo(5);
    }

    @Test
    void hugeAndNegativeTupleColumnCounts() {
        for (int count : new int[] {0xFFFF, 0x8000, 3}) {
            byte[] bytes =
                    new ByteWriter()
                            .u8('I')
                            .i32(1)
                            .u8('N')
                            .i16(count)
                            .u8('n')
                            .u8('n')
                            .toByteArray();

            ProtocolDecodingException e = decodeFailure(SampleMessages.V1, bytes);

            assertThat(e.detail()).contains("column count " + count);
            assertThat(e.offset()).isEqualTo(6);
        }
    }

    @Test
    void tupleEndingBeforeItsLastColumn() {
        byte[] bytes =
                new ByteWriter()
                        .u8('I')
                        .i32(1)
                        .u8('N')
                        .i16(3)
                        .u8('t')
                        .i32(1)
                        .u8('x')
                        .u8('n')
                        .toByteArray();

        ProtocolDecodingException e = decodeFailure(SampleMessages.V1, bytes);

        assertThat(e.detail()).contains("tuple truncated after column 1 of 3");
        assertThat(e.offset()).isEqualTo(bytes.length);
    }

    @Test
    void negativeAndHugeValueLengths() {
        for (int length : new int[] {-1, Integer.MIN_VALUE, Integer.MAX_VALUE, 2}) {
            byte[] bytes =
                    new ByteWriter()
                            .u8('I')
                            .i32(1)
                            .u8('N')
                            .i16(1)
                            .u8('t')
                            .i32(length)
                            .u8('x')
                            .toByteArray();

            ProtocolDecodingException e = decodeFailure(SampleMessages.V1, bytes);

            assertThat(e.detail()).contains("column 0 length " + length);
            assertThat(e.offset()).isEqualTo(9);
        }
    }

    @Test
    void unknownTupleColumnKind() {
        byte[] bytes = new ByteWriter().u8('I').i32(1).u8('N').i16(2).u8('n').u8('x').toByteArray();

        ProtocolDecodingException e = decodeFailure(SampleMessages.V1, bytes);

        assertThat(e.detail()).contains("unknown kind 120 of column 1");
        assertThat(e.offset()).isEqualTo(9);
    }

    @Test
    void badTupleMarkers() {
        byte[] tuple = TupleBuilder.texts("a").buffer();
        byte[] insert = new ByteWriter().u8('I').i32(1).u8('K').bytes(tuple).toByteArray();
        byte[] update = new ByteWriter().u8('U').i32(1).u8('X').bytes(tuple).toByteArray();
        byte[] updateOldTwice =
                new ByteWriter()
                        .u8('U')
                        .i32(1)
                        .u8('K')
                        .bytes(tuple)
                        .u8('O')
                        .bytes(tuple)
                        .toByteArray();
        byte[] delete = new ByteWriter().u8('D').i32(1).u8('N').bytes(tuple).toByteArray();

        assertThat(decodeFailure(SampleMessages.V1, insert).offset()).isEqualTo(5);
        assertThat(decodeFailure(SampleMessages.V1, update).offset()).isEqualTo(5);
        assertThat(decodeFailure(SampleMessages.V1, updateOldTwice).offset())
                .isEqualTo(6 + tuple.length);
        assertThat(decodeFailure(SampleMessages.V1, delete).detail()).contains("'K' or 'O'");
    }

    @Test
    void relationColumnCountAndIdentity() {
        byte[] hugeCount =
                new ByteWriter()
                        .u8('R')
                        .i32(1)
                        .cstring("s")
                        .cstring("t")
                        .u8('d')
                        .i16(0xFFFF)
                        .u8(0)
                        .cstring("a")
                        .i32(23)
                        .i32(-1)
                        .toByteArray();
        byte[] badIdentity =
                new ByteWriter()
                        .u8('R')
                        .i32(1)
                        .cstring("s")
                        .cstring("t")
                        .u8('x')
                        .i16(0)
                        .toByteArray();

        assertThat(decodeFailure(SampleMessages.V1, hugeCount).detail())
                .contains("column count 65535");
        ProtocolDecodingException e = decodeFailure(SampleMessages.V1, badIdentity);
        assertThat(e.detail()).contains("replica identity");
        assertThat(e.offset()).isEqualTo(9);
    }

    @Test
    void truncateRelationCounts() {
        for (int count : new int[] {-1, Integer.MIN_VALUE, Integer.MAX_VALUE, 0x4000_0000, 2}) {
            byte[] bytes = new ByteWriter().u8('T').i32(count).u8(0).i32(16_384).toByteArray();

            ProtocolDecodingException e = decodeFailure(SampleMessages.V1, bytes);

            assertThat(e.detail()).contains("relation count " + count);
            assertThat(e.offset()).isEqualTo(1);
        }
    }

    @Test
    void messageContentLengths() {
        for (int length : new int[] {-1, Integer.MIN_VALUE, Integer.MAX_VALUE, 4}) {
            byte[] bytes =
                    new ByteWriter()
                            .u8('M')
                            .u8(1)
                            .i64(1)
                            .cstring("p")
                            .i32(length)
                            .bytes(new byte[] {1, 2, 3})
                            .toByteArray();

            ProtocolDecodingException e = decodeFailure(SampleMessages.V1_BINARY_MESSAGES, bytes);

            assertThat(e.detail()).contains("content length " + length);
            assertThat(e.offset()).isEqualTo(12);
        }
    }

    @Test
    void unterminatedStrings() {
        byte[] origin = new ByteWriter().u8('O').i64(1).bytes(new byte[] {'a', 'b'}).toByteArray();
        byte[] gid = PgOutputEncoder.encode(new BeginPrepare(1, 2, 3, 4, "gid"));

        assertThat(decodeFailure(SampleMessages.V1, origin).detail())
                .contains("unterminated string originName");
        ProtocolDecodingException e =
                decodeFailure(SampleMessages.V3_TWO_PHASE, Arrays.copyOf(gid, gid.length - 1));
        assertThat(e.detail()).contains("unterminated string gid");
        assertThat(e.offset()).isEqualTo(29);
    }

    @Test
    void callerMistakesAreNotDecodingErrors() {
        PgOutputDecoder decoder = new PgOutputDecoder(SampleMessages.V1);

        assertThatThrownBy(() -> decoder.decode(new byte[4], 2, 3, 0L))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> decoder.decode(new byte[4], -1, 1, 0L))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
