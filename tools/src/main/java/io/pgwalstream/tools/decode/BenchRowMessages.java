package io.pgwalstream.tools.decode;

import io.pgwalstream.protocol.Delete;
import io.pgwalstream.protocol.Insert;
import io.pgwalstream.protocol.OldTupleKind;
import io.pgwalstream.protocol.PgOutputEncoder;
import io.pgwalstream.protocol.PgOutputOptions;
import io.pgwalstream.protocol.ReplicationFrameEncoder;
import io.pgwalstream.protocol.StreamableMessage;
import io.pgwalstream.protocol.TupleBuilder;
import io.pgwalstream.protocol.TupleData;
import io.pgwalstream.protocol.Update;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The pgoutput bytes the decode benchmarks decode: Insert, Update with a key ({@code 'K'}) old
 * tuple, Delete, and an XLogData frame wrapping the Insert, for one row of the benchmark table
 *
 * <pre>
 * bench(id bigint, a int, amount numeric(12,2), s1 text, s2 text, ts timestamptz, flag bool)
 * </pre>
 *
 * in text form (as pgoutput sends by default: each value as its output function prints it) or in
 * binary form ({@code binary=true}: each value as its {@code send} function writes it). Built with
 * the connector's test encoder, so the bytes are what the decoder's round-trip tests accept.
 */
public final class BenchRowMessages {

    /** Whether columns come as {@code 't'} (text) or {@code 'b'} (binary) values. */
    public enum Format {
        TEXT,
        BINARY;

        public static Format parse(String name) {
            return valueOf(name.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** The benchmark table's OID as the server might assign it. */
    public static final int RELATION_OID = 16_385;

    /** WAL position the frame's header claims. */
    public static final long FRAME_LSN = 0x1_6B37_4D48L;

    private static final long SEND_TIME = 812_345_678_901_234L;

    /** One row of the benchmark table. */
    public record Row(
            long id, int a, BigDecimal amount, String s1, String s2, Instant ts, boolean flag) {}

    /** A row with realistic values; {@code s2} is an md5 hex string as the drain benchmark uses. */
    public static final Row ROW =
            new Row(
                    1_234_567L,
                    34_567,
                    new BigDecimal("12345.67"),
                    "customer-1234567",
                    "fc3ff98e8c6a0d3087d515c0473f8677",
                    Instant.parse("2024-05-17T12:34:56.789012Z"),
                    true);

    /** The same row after an update of amount, s1 and ts. */
    public static final Row UPDATED_ROW =
            new Row(
                    1_234_567L,
                    34_567,
                    new BigDecimal("-9876.05"),
                    "customer-1234567-vip",
                    "fc3ff98e8c6a0d3087d515c0473f8677",
                    Instant.parse("2024-05-18T08:00:00.000001Z"),
                    false);

    private final Format format;
    private final PgOutputOptions options;
    private final byte[] insert;
    private final byte[] update;
    private final byte[] delete;
    private final byte[] insertFrame;

    private BenchRowMessages(Format format) {
        this.format = format;
        this.options =
                PgOutputOptions.of(PgOutputOptions.MAX_PROTO_VERSION)
                        .withBinary(format == Format.BINARY);
        int noXid = StreamableMessage.NO_XID;
        TupleData newTuple = tuple(ROW);
        TupleData updatedTuple = tuple(UPDATED_ROW);
        TupleData keyTuple = keyTuple(ROW);
        Insert insertMessage = new Insert(noXid, RELATION_OID, newTuple);
        this.insert = PgOutputEncoder.encode(insertMessage);
        this.update =
                PgOutputEncoder.encode(
                        new Update(noXid, RELATION_OID, OldTupleKind.KEY, keyTuple, updatedTuple));
        this.delete =
                PgOutputEncoder.encode(new Delete(noXid, RELATION_OID, OldTupleKind.KEY, keyTuple));
        this.insertFrame = ReplicationFrameEncoder.xLogData(FRAME_LSN, SEND_TIME, insertMessage);
    }

    public static BenchRowMessages of(Format format) {
        return new BenchRowMessages(format);
    }

    public Format format() {
        return format;
    }

    /** The options the messages must be decoded with (proto_version 4, binary as the format). */
    public PgOutputOptions options() {
        return options;
    }

    public byte[] insert() {
        return insert.clone();
    }

    public byte[] update() {
        return update.clone();
    }

    public byte[] delete() {
        return delete.clone();
    }

    /** A whole CopyData payload: {@code 'w'}, dataStart, walEnd, sendTime, the Insert. */
    public byte[] insertFrame() {
        return insertFrame.clone();
    }

    /** The column values of {@code row} as they appear on the wire in this format. */
    public List<byte[]> values(Row row) {
        List<byte[]> values = new ArrayList<>(7);
        if (format == Format.TEXT) {
            for (String text : texts(row)) {
                values.add(text.getBytes(StandardCharsets.UTF_8));
            }
        } else {
            values.add(PgBinaryValues.int8(row.id()));
            values.add(PgBinaryValues.int4(row.a()));
            values.add(PgBinaryValues.numeric(row.amount()));
            values.add(row.s1().getBytes(StandardCharsets.UTF_8));
            values.add(row.s2().getBytes(StandardCharsets.UTF_8));
            values.add(PgBinaryValues.timestamptz(row.ts()));
            values.add(PgBinaryValues.bool(row.flag()));
        }
        return values;
    }

    /** What PostgreSQL's output functions print (timestamptz with TimeZone = UTC). */
    static List<String> texts(Row row) {
        String ts = row.ts().toString().replace('T', ' ').replace("Z", "+00");
        return List.of(
                Long.toString(row.id()),
                Integer.toString(row.a()),
                row.amount().toPlainString(),
                row.s1(),
                row.s2(),
                ts,
                row.flag() ? "t" : "f");
    }

    private TupleData tuple(Row row) {
        TupleBuilder builder = TupleBuilder.tuple();
        for (byte[] value : values(row)) {
            if (format == Format.TEXT) {
                builder.text(new String(value, StandardCharsets.UTF_8));
            } else {
                builder.binary(value);
            }
        }
        return builder.build();
    }

    /** A {@code 'K'} tuple: every column present, only the key (id) with a value. */
    private TupleData keyTuple(Row row) {
        TupleBuilder builder = TupleBuilder.tuple();
        byte[] id = values(row).get(0);
        if (format == Format.TEXT) {
            builder.text(new String(id, StandardCharsets.UTF_8));
        } else {
            builder.binary(id);
        }
        for (int i = 1; i < 7; i++) {
            builder.nul();
        }
        return builder.build();
    }
}
