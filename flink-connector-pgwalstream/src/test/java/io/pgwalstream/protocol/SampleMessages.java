package io.pgwalstream.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A catalogue of valid messages covering every type and every version-dependent variant. */
final class SampleMessages {

    static final PgOutputOptions V1 = PgOutputOptions.of(1);
    static final PgOutputOptions V1_BINARY_MESSAGES =
            PgOutputOptions.of(1).withBinary(true).withMessages(true);
    static final PgOutputOptions V2_STREAMING =
            PgOutputOptions.of(2)
                    .withStreaming(StreamingMode.ON)
                    .withBinary(true)
                    .withMessages(true);
    static final PgOutputOptions V3_TWO_PHASE =
            PgOutputOptions.of(3)
                    .withStreaming(StreamingMode.ON)
                    .withTwoPhase(true)
                    .withMessages(true);
    static final PgOutputOptions V4_PARALLEL =
            PgOutputOptions.of(4)
                    .withStreaming(StreamingMode.PARALLEL)
                    .withTwoPhase(true)
                    .withBinary(true)
                    .withMessages(true);

    /** Top-level xid of the stream block that in-stream samples are decoded in. */
    static final int STREAM_XID = 7_000;

    static final long MAX_LSN = 0xFFFF_FFFF_FFFF_FFFFL;

    /**
     * A message and where it is valid.
     *
     * @param inStream whether it must be decoded inside a stream block
     */
    record Sample(String name, PgOutputOptions options, boolean inStream, PgOutputMessage message) {
        @Override
        public String toString() {
            return name;
        }
    }

    private SampleMessages() {}

    static List<Sample> all() {
        List<Sample> s = new ArrayList<>();
        long lsn = 0x16_B374_D848L;
        long time = 812_345_678_901_234L;

        s.add(new Sample("begin", V1, false, new Begin(lsn, time, 742)));
        s.add(new Sample("begin extremes", V1, false, new Begin(MAX_LSN, -1L, -1)));
        s.add(new Sample("commit", V1, false, new Commit(lsn, lsn + 48, time)));
        s.add(new Sample("origin", V1, false, new Origin(lsn, "pg_16389")));
        s.add(new Sample("origin empty name", V1, false, new Origin(0L, "")));
        s.add(new Sample("origin inside block", V2_STREAMING, true, new Origin(lsn, "ö-origin")));

        List<RelationColumn> columns =
                List.of(
                        new RelationColumn(1, "id", 23, -1),
                        new RelationColumn(0, "naïve näme", 1043, 68),
                        new RelationColumn(0, "", 16385, -1));
        for (ReplicaIdentity identity : ReplicaIdentity.values()) {
            s.add(
                    new Sample(
                            "relation " + identity,
                            V1,
                            false,
                            new Relation(
                                    StreamableMessage.NO_XID,
                                    16_384,
                                    "public",
                                    "orders",
                                    identity,
                                    columns)));
        }
        s.add(
                new Sample(
                        "relation pg_catalog, no columns",
                        V1,
                        false,
                        new Relation(
                                StreamableMessage.NO_XID,
                                -2,
                                "",
                                "ταБЬℓσ",
                                ReplicaIdentity.NOTHING,
                                List.of())));
        s.add(
                new Sample(
                        "relation in stream",
                        V2_STREAMING,
                        true,
                        new Relation(7_001, 16_384, "s", "t", ReplicaIdentity.FULL, columns)));

        s.add(
                new Sample(
                        "type",
                        V1,
                        false,
                        new TypeMessage(StreamableMessage.NO_XID, 16_385, "public", "mood")));
        s.add(
                new Sample(
                        "type in stream", V3_TWO_PHASE, true, new TypeMessage(-5, 16_385, "", "")));

        TupleData allKinds =
                TupleBuilder.tuple()
                        .nul()
                        .unchangedToast()
                        .text("42")
                        .binary(new byte[] {0, 0, 0, 42})
                        .text("")
                        .binary(new byte[0])
                        .text("grüße, 世界")
                        .build();
        TupleData texts = TupleBuilder.texts("1", null, "x");
        TupleData key = TupleBuilder.texts("1", null, null);
        TupleData empty = TupleBuilder.tuple().build();

        s.add(new Sample("insert text", V1, false, insert(StreamableMessage.NO_XID, texts)));
        s.add(
                new Sample(
                        "insert all kinds",
                        V1_BINARY_MESSAGES,
                        false,
                        insert(StreamableMessage.NO_XID, allKinds)));
        s.add(new Sample("insert no columns", V1, false, insert(StreamableMessage.NO_XID, empty)));
        s.add(new Sample("insert in stream", V2_STREAMING, true, insert(7_002, allKinds)));

        s.add(
                new Sample(
                        "update without old",
                        V1,
                        false,
                        new Update(
                                StreamableMessage.NO_XID, 16_384, OldTupleKind.NONE, null, texts)));
        s.add(
                new Sample(
                        "update with key",
                        V1,
                        false,
                        new Update(
                                StreamableMessage.NO_XID, 16_384, OldTupleKind.KEY, key, texts)));
        s.add(
                new Sample(
                        "update with old row",
                        V4_PARALLEL,
                        false,
                        new Update(
                                StreamableMessage.NO_XID,
                                16_384,
                                OldTupleKind.FULL,
                                allKinds,
                                texts)));
        s.add(
                new Sample(
                        "update in stream without old",
                        V2_STREAMING,
                        true,
                        new Update(7_003, 16_384, OldTupleKind.NONE, null, allKinds)));
        s.add(
                new Sample(
                        "update in stream with old row",
                        V4_PARALLEL,
                        true,
                        new Update(-1, 16_384, OldTupleKind.FULL, texts, allKinds)));

        s.add(
                new Sample(
                        "delete key",
                        V1,
                        false,
                        new Delete(StreamableMessage.NO_XID, 16_384, OldTupleKind.KEY, key)));
        s.add(
                new Sample(
                        "delete old row",
                        V1_BINARY_MESSAGES,
                        false,
                        new Delete(StreamableMessage.NO_XID, 16_384, OldTupleKind.FULL, allKinds)));
        s.add(
                new Sample(
                        "delete in stream",
                        V3_TWO_PHASE,
                        true,
                        new Delete(7_004, 16_384, OldTupleKind.KEY, key)));

        for (int options = 0; options <= 3; options++) {
            s.add(
                    new Sample(
                            "truncate options " + options,
                            V1,
                            false,
                            new Truncate(
                                    StreamableMessage.NO_XID,
                                    options,
                                    new int[] {16_384, 16_390, -1})));
        }
        s.add(
                new Sample(
                        "truncate nothing",
                        V1,
                        false,
                        new Truncate(StreamableMessage.NO_XID, 0, new int[0])));
        s.add(
                new Sample(
                        "truncate in stream",
                        V2_STREAMING,
                        true,
                        new Truncate(7_005, Truncate.CASCADE, new int[] {16_384})));

        s.add(
                new Sample(
                        "message transactional",
                        V1_BINARY_MESSAGES,
                        false,
                        message(StreamableMessage.NO_XID, 1, "outbox", "{\"id\":1}")));
        s.add(
                new Sample(
                        "message non-transactional, empty",
                        V1_BINARY_MESSAGES,
                        false,
                        message(StreamableMessage.NO_XID, 0, "", "")));
        s.add(
                new Sample(
                        "message in stream",
                        V4_PARALLEL,
                        true,
                        message(7_006, 1, "préfixe", "contenu")));

        s.add(new Sample("stream start first", V2_STREAMING, false, new StreamStart(9, true)));
        s.add(new Sample("stream start later", V4_PARALLEL, false, new StreamStart(-9, false)));
        s.add(new Sample("stream stop", V2_STREAMING, true, StreamStop.INSTANCE));
        s.add(
                new Sample(
                        "stream commit",
                        V2_STREAMING,
                        false,
                        new StreamCommit(9, lsn, lsn + 40, time)));
        s.add(new Sample("stream abort", V2_STREAMING, false, StreamAbort.of(9, 10)));
        s.add(new Sample("stream abort whole", V3_TWO_PHASE, false, StreamAbort.of(9, 9)));
        s.add(new Sample("stray stream abort, proto 1", V1, false, StreamAbort.of(9, 9)));
        s.add(
                new Sample(
                        "stream abort parallel",
                        V4_PARALLEL,
                        false,
                        new StreamAbort(9, 11, true, lsn, time)));

        s.add(
                new Sample(
                        "begin prepare",
                        V3_TWO_PHASE,
                        false,
                        new BeginPrepare(lsn, lsn + 30, time, 77, "gid-1")));
        s.add(
                new Sample(
                        "prepare",
                        V3_TWO_PHASE,
                        false,
                        new Prepare(lsn, lsn + 30, time, 77, "gïd")));
        s.add(
                new Sample(
                        "commit prepared",
                        V4_PARALLEL,
                        false,
                        new CommitPrepared(lsn, lsn + 30, time, 77, "")));
        s.add(
                new Sample(
                        "rollback prepared",
                        V3_TWO_PHASE,
                        false,
                        new RollbackPrepared(lsn, lsn + 60, time, time + 5, 77, "gid-1")));
        s.add(
                new Sample(
                        "stream prepare",
                        V4_PARALLEL,
                        false,
                        new StreamPrepare(lsn, lsn + 30, time, 77, "gid-2")));
        return s;
    }

    static Insert insert(int xid, TupleData tuple) {
        return new Insert(xid, 16_384, tuple);
    }

    static LogicalMessage message(int xid, int flags, String prefix, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        return new LogicalMessage(xid, flags, 0x1_0000_0000L, prefix, bytes, 0, bytes.length);
    }

    /** A decoder for {@code sample}, inside a stream block if the sample needs one. */
    static PgOutputDecoder decoderFor(Sample sample) {
        PgOutputDecoder decoder = new PgOutputDecoder(sample.options());
        if (sample.inStream()) {
            decoder.decode(PgOutputEncoder.encode(new StreamStart(STREAM_XID, true)), 0L);
        }
        return decoder;
    }
}
