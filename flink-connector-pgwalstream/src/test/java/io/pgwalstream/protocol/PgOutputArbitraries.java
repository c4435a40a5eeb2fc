package io.pgwalstream.protocol;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** jqwik generators for options, valid pgoutput messages in context, and byte mutations. */
final class PgOutputArbitraries {

    private PgOutputArbitraries() {}

    /**
     * A valid message together with what the decoder must know to accept it.
     *
     * @param streamXid top-level xid of the open block when {@code inStream}
     */
    record Case(PgOutputOptions options, boolean inStream, int streamXid, PgOutputMessage message) {

        PgOutputDecoder newDecoder() {
            PgOutputDecoder decoder = new PgOutputDecoder(options);
            if (inStream) {
                decoder.decode(PgOutputEncoder.encode(new StreamStart(streamXid, true)), 0L);
            }
            return decoder;
        }

        @Override
        public String toString() {
            return options + (inStream ? " in stream block " + streamXid : "") + ": " + message;
        }
    }

    /** One change to a byte array; positions are fractions so they fit any length. */
    record Mutation(Kind kind, double where, int value) {
        enum Kind {
            FLIP_BIT,
            SET_BYTE,
            SET_INT32,
            INSERT_BYTE,
            DELETE_BYTE,
            TRUNCATE
        }

        byte[] applyTo(byte[] in) {
            int at = (int) (where * in.length);
            switch (kind) {
                case FLIP_BIT:
                    if (in.length == 0) {
                        return in;
                    }
                    byte[] flipped = in.clone();
                    flipped[Math.min(at, in.length - 1)] ^= (byte) (1 << (value & 7));
                    return flipped;
                case SET_BYTE:
                    if (in.length == 0) {
                        return in;
                    }
                    byte[] set = in.clone();
                    set[Math.min(at, in.length - 1)] = (byte) value;
                    return set;
                case SET_INT32:
                    if (in.length < 4) {
                        return in;
                    }
                    byte[] withInt = in.clone();
                    BigEndian.putInt(withInt, Math.min(at, in.length - 4), value);
                    return withInt;
                case INSERT_BYTE:
                    byte[] longer = new byte[in.length + 1];
                    System.arraycopy(in, 0, longer, 0, at);
                    longer[at] = (byte) value;
                    System.arraycopy(in, at, longer, at + 1, in.length - at);
                    return longer;
                case DELETE_BYTE:
                    if (in.length == 0) {
                        return in;
                    }
                    int gone = Math.min(at, in.length - 1);
                    byte[] shorter = new byte[in.length - 1];
                    System.arraycopy(in, 0, shorter, 0, gone);
                    System.arraycopy(in, gone + 1, shorter, gone, in.length - gone - 1);
                    return shorter;
                default:
                    return Arrays.copyOf(in, at);
            }
        }
    }

    static Arbitrary<PgOutputOptions> options() {
        return Arbitraries.of(allOptions());
    }

    /** Every valid options combination. */
    static List<PgOutputOptions> allOptions() {
        List<PgOutputOptions> all = new ArrayList<>();
        for (int proto = PgOutputOptions.MIN_PROTO_VERSION;
                proto <= PgOutputOptions.MAX_PROTO_VERSION;
                proto++) {
            for (StreamingMode mode : StreamingMode.values()) {
                for (int flags = 0; flags < 8; flags++) {
                    boolean twoPhase = (flags & 4) != 0;
                    if (mode.minProtoVersion() <= proto
                            && (!twoPhase
                                    || proto >= PgOutputOptions.TWO_PHASE_MIN_PROTO_VERSION)) {
                        all.add(
                                new PgOutputOptions(
                                        proto, mode, (flags & 1) != 0, (flags & 2) != 0, twoPhase));
                    }
                }
            }
        }
        return all;
    }

    /**
     * One fixed arbitrary per (options, in block), picked by {@code oneOf}. Building message
     * arbitraries per try (with {@code flatMap}) made generation a hundred times slower.
     */
    private static final Arbitrary<Case> CASES = buildCases();

    static Arbitrary<Case> cases() {
        return CASES;
    }

    private static Arbitrary<Case> buildCases() {
        List<Arbitrary<Case>> contexts = new ArrayList<>();
        for (PgOutputOptions options : allOptions()) {
            contexts.add(
                    messages(options, false)
                            .map(m -> new Case(options, false, StreamableMessage.NO_XID, m)));
            if (options.streamingEnabled()) {
                contexts.add(
                        Combinators.combine(nonZeroXid(), messages(options, true))
                                .as((xid, m) -> new Case(options, true, xid, m)));
            }
        }
        return Arbitraries.oneOf(contexts);
    }

    static Arbitrary<List<Mutation>> mutations() {
        Arbitrary<Integer> values =
                Arbitraries.frequencyOf(
                        Tuple.of(4, Arbitraries.integers()),
                        Tuple.of(
                                3,
                                Arbitraries.of(
                                        -1,
                                        0,
                                        1,
                                        Integer.MAX_VALUE,
                                        Integer.MIN_VALUE,
                                        0xFFFF,
                                        0x7FFF,
                                        0x8000,
                                        (int) 'n',
                                        (int) 'u',
                                        (int) 't',
                                        (int) 'b',
                                        (int) 'K',
                                        (int) 'O',
                                        (int) 'N')));
        return Combinators.combine(
                        Arbitraries.of(Mutation.Kind.class),
                        Arbitraries.doubles().between(0.0, 1.0),
                        values)
                .as(Mutation::new)
                .list()
                .ofMinSize(1)
                .ofMaxSize(4);
    }

    /** Arbitrary byte strings, mostly starting with a tag the decoder knows. */
    static Arbitrary<byte[]> randomMessageBytes() {
        Arbitrary<byte[]> body = Arbitraries.bytes().array(byte[].class).ofMaxSize(48);
        Arbitrary<Byte> tag =
                Arbitraries.frequencyOf(
                        Tuple.of(
                                5,
                                Arbitraries.of(
                                        (byte) 'B',
                                        (byte) 'C',
                                        (byte) 'O',
                                        (byte) 'R',
                                        (byte) 'Y',
                                        (byte) 'I',
                                        (byte) 'U',
                                        (byte) 'D',
                                        (byte) 'T',
                                        (byte) 'M',
                                        (byte) 'S',
                                        (byte) 'E',
                                        (byte) 'c',
                                        (byte) 'A',
                                        (byte) 'b',
                                        (byte) 'P',
                                        (byte) 'K',
                                        (byte) 'r',
                                        (byte) 'p')),
                        Tuple.of(1, Arbitraries.bytes()));
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(new byte[0])),
                Tuple.of(
                        30,
                        Combinators.combine(tag, body)
                                .as(
                                        (t, b) -> {
                                            byte[] out = new byte[b.length + 1];
                                            out[0] = t;
                                            System.arraycopy(b, 0, out, 1, b.length);
                                            return out;
                                        })));
    }

    static Arbitrary<PgOutputMessage> messages(PgOutputOptions options, boolean inStream) {
        List<Arbitrary<? extends PgOutputMessage>> choices = new ArrayList<>();
        Arbitrary<Integer> xid =
                inStream ? nonZeroXid() : Arbitraries.just(StreamableMessage.NO_XID);
        choices.add(relations(xid));
        choices.add(Combinators.combine(xid, oids(), names(), names()).as(TypeMessage::new));
        choices.add(inserts(xid, options.binary()));
        choices.add(inserts(xid, options.binary()));
        choices.add(updates(xid, options.binary()));
        choices.add(deletes(xid, options.binary()));
        choices.add(truncates(xid));
        choices.add(Combinators.combine(lsns(), names()).as(Origin::new));
        if (options.messages()) {
            choices.add(logicalMessages(xid));
        }
        if (inStream) {
            choices.add(Arbitraries.just(StreamStop.INSTANCE));
            return Arbitraries.oneOf(choices);
        }
        choices.add(Combinators.combine(lsns(), times(), xids()).as(Begin::new));
        choices.add(Combinators.combine(lsns(), lsns(), times()).as(Commit::new));
        choices.add(
                options.streaming() == StreamingMode.PARALLEL
                        ? Combinators.combine(xids(), xids(), lsns(), times())
                                .as((x, s, l, t) -> new StreamAbort(x, s, true, l, t))
                        : Combinators.combine(xids(), xids()).as(StreamAbort::of));
        if (options.streamingEnabled()) {
            choices.add(
                    Combinators.combine(nonZeroXid(), Arbitraries.of(true, false))
                            .as(StreamStart::new));
            choices.add(Combinators.combine(xids(), lsns(), lsns(), times()).as(StreamCommit::new));
        }
        if (options.twoPhase()) {
            choices.add(
                    Combinators.combine(lsns(), lsns(), times(), xids(), names())
                            .as(BeginPrepare::new));
            choices.add(
                    Combinators.combine(lsns(), lsns(), times(), xids(), names()).as(Prepare::new));
            choices.add(
                    Combinators.combine(lsns(), lsns(), times(), xids(), names())
                            .as(CommitPrepared::new));
            choices.add(
                    Combinators.combine(lsns(), lsns(), times(), times(), xids(), names())
                            .as(RollbackPrepared::new));
            if (options.streamingEnabled()) {
                choices.add(
                        Combinators.combine(lsns(), lsns(), times(), xids(), names())
                                .as(StreamPrepare::new));
            }
        }
        return Arbitraries.oneOf(choices);
    }

    private static Arbitrary<Relation> relations(Arbitrary<Integer> xid) {
        Arbitrary<RelationColumn> column =
                Combinators.combine(
                                Arbitraries.integers().between(0, 255),
                                names(),
                                oids(),
                                Arbitraries.integers())
                        .as(RelationColumn::new);
        return Combinators.combine(
                        xid,
                        oids(),
                        names(),
                        names(),
                        Arbitraries.of(ReplicaIdentity.class),
                        column.list().ofMaxSize(8))
                .as(Relation::new);
    }

    private static Arbitrary<Insert> inserts(Arbitrary<Integer> xid, boolean binary) {
        return Combinators.combine(xid, oids(), tuples(binary)).as(Insert::new);
    }

    private static Arbitrary<Update> updates(Arbitrary<Integer> xid, boolean binary) {
        return Combinators.combine(
                        xid,
                        oids(),
                        Arbitraries.of(OldTupleKind.class),
                        tuples(binary),
                        tuples(binary))
                .as(
                        (x, oid, kind, old, neu) ->
                                new Update(
                                        x, oid, kind, kind == OldTupleKind.NONE ? null : old, neu));
    }

    private static Arbitrary<Delete> deletes(Arbitrary<Integer> xid, boolean binary) {
        return Combinators.combine(
                        xid,
                        oids(),
                        Arbitraries.of(OldTupleKind.KEY, OldTupleKind.FULL),
                        tuples(binary))
                .as(Delete::new);
    }

    private static Arbitrary<Truncate> truncates(Arbitrary<Integer> xid) {
        return Combinators.combine(
                        xid, Arbitraries.integers().between(0, 255), oids().list().ofMaxSize(6))
                .as(
                        (x, options, oids) ->
                                new Truncate(
                                        x,
                                        options,
                                        oids.stream().mapToInt(Integer::intValue).toArray()));
    }

    private static Arbitrary<LogicalMessage> logicalMessages(Arbitrary<Integer> xid) {
        return Combinators.combine(
                        xid,
                        Arbitraries.integers().between(0, 1),
                        lsns(),
                        names(),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(24))
                .as(
                        (x, flags, lsn, prefix, content) ->
                                new LogicalMessage(
                                        x, flags, lsn, prefix, content, 0, content.length));
    }

    /** A tuple of up to 10 columns of every kind allowed. */
    static Arbitrary<TupleData> tuples(boolean binary) {
        List<Tuple.Tuple2<Integer, Arbitrary<ColumnSpec>>> kinds = new ArrayList<>();
        kinds.add(Tuple.of(2, Arbitraries.just(new ColumnSpec(ColumnKind.NULL, null))));
        kinds.add(Tuple.of(1, Arbitraries.just(new ColumnSpec(ColumnKind.UNCHANGED_TOAST, null))));
        kinds.add(
                Tuple.of(
                        5,
                        names().map(
                                        s ->
                                                new ColumnSpec(
                                                        ColumnKind.TEXT,
                                                        s.getBytes(StandardCharsets.UTF_8)))));
        if (binary) {
            kinds.add(
                    Tuple.of(
                            2,
                            Arbitraries.bytes()
                                    .array(byte[].class)
                                    .ofMaxSize(12)
                                    .map(b -> new ColumnSpec(ColumnKind.BINARY, b))));
        }
        @SuppressWarnings({"unchecked", "rawtypes"})
        Arbitrary<ColumnSpec> column = Arbitraries.frequencyOf(kinds.toArray(new Tuple.Tuple2[0]));
        return column.list().ofMaxSize(10).map(PgOutputArbitraries::toTuple);
    }

    private record ColumnSpec(ColumnKind kind, byte[] value) {
        @Override
        public String toString() {
            return kind + (value == null ? "" : ":" + HexFormat.of().formatHex(value));
        }
    }

    private static TupleData toTuple(List<ColumnSpec> columns) {
        ByteWriter w = new ByteWriter().i16(columns.size());
        for (ColumnSpec column : columns) {
            w.u8(column.kind().tag());
            if (column.value() != null) {
                w.i32(column.value().length).bytes(column.value());
            }
        }
        byte[] bytes = w.toByteArray();
        return TupleData.wrap(bytes, 0, bytes.length);
    }

    /** Names without NUL and without lone surrogates, so that they survive UTF-8. */
    static Arbitrary<String> names() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.strings().alpha().numeric().withChars('_').ofMaxLength(10)),
                Tuple.of(
                        1, Arbitraries.strings().withCharRange('\u0001', '\uD7FF').ofMaxLength(6)));
    }

    static Arbitrary<Integer> xids() {
        return Arbitraries.integers();
    }

    static Arbitrary<Integer> nonZeroXid() {
        return Arbitraries.integers().filter(x -> x != StreamableMessage.NO_XID);
    }

    static Arbitrary<Integer> oids() {
        return Arbitraries.integers();
    }

    static Arbitrary<Long> lsns() {
        return Arbitraries.longs();
    }

    static Arbitrary<Long> times() {
        return Arbitraries.longs();
    }
}
