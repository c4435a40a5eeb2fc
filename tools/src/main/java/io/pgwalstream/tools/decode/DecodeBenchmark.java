package io.pgwalstream.tools.decode;

import io.pgwalstream.protocol.Delete;
import io.pgwalstream.protocol.Insert;
import io.pgwalstream.protocol.PgOutputDecoder;
import io.pgwalstream.protocol.PgOutputMessage;
import io.pgwalstream.protocol.ReplicationFrameDecoder;
import io.pgwalstream.protocol.TupleCursor;
import io.pgwalstream.protocol.TupleData;
import io.pgwalstream.protocol.Update;
import io.pgwalstream.protocol.XLogData;
import io.pgwalstream.tools.decode.BenchRowMessages.Format;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Decoding one DML message of the 7-column benchmark row into views, in text and binary form: the
 * decoder validates the message and returns the message record with {@link TupleData} views, then a
 * {@link TupleCursor} walks every column (kind, offset, length), as a converter would before
 * reading the value bytes in place. The {@code frame} benchmark adds the CopyData framing: {@link
 * ReplicationFrameDecoder} on the whole {@code 'w'} payload, then {@link
 * PgOutputDecoder#decode(XLogData)}.
 *
 * <p>One operation is one message. The message bytes are built once per trial; the decoder and
 * cursor are reused, as on the consumer thread of a real reader.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class DecodeBenchmark {

    @Param({"text", "binary"})
    public String format;

    private PgOutputDecoder decoder;
    private final TupleCursor cursor = new TupleCursor();
    private byte[] insert;
    private byte[] update;
    private byte[] delete;
    private byte[] insertFrame;

    @Setup
    public void setUp() {
        BenchRowMessages messages = BenchRowMessages.of(Format.parse(format));
        decoder = new PgOutputDecoder(messages.options());
        insert = messages.insert();
        update = messages.update();
        delete = messages.delete();
        insertFrame = messages.insertFrame();
        // Measure nothing that does not decode to the intended row.
        verify(messages);
    }

    @Benchmark
    public PgOutputMessage insert(Blackhole bh) {
        Insert m = (Insert) decoder.decode(insert, BenchRowMessages.FRAME_LSN);
        bh.consume(walk(cursor, m.newTuple()));
        return m;
    }

    @Benchmark
    public PgOutputMessage update(Blackhole bh) {
        Update m = (Update) decoder.decode(update, BenchRowMessages.FRAME_LSN);
        bh.consume(walk(cursor, m.oldTuple()));
        bh.consume(walk(cursor, m.newTuple()));
        return m;
    }

    @Benchmark
    public PgOutputMessage delete(Blackhole bh) {
        Delete m = (Delete) decoder.decode(delete, BenchRowMessages.FRAME_LSN);
        bh.consume(walk(cursor, m.oldTuple()));
        return m;
    }

    @Benchmark
    public PgOutputMessage frameInsert(Blackhole bh) {
        XLogData frame = (XLogData) ReplicationFrameDecoder.decode(insertFrame);
        Insert m = (Insert) decoder.decode(frame);
        bh.consume(walk(cursor, m.newTuple()));
        return m;
    }

    /**
     * Visits every column and folds kind, offset and length into one number, so that no column's
     * walk can be optimised away and the Blackhole is paid once per tuple, not per column.
     */
    static int walk(TupleCursor cursor, TupleData tuple) {
        cursor.reset(tuple);
        int acc = 0;
        while (cursor.next()) {
            acc = 31 * acc + cursor.kindTag() + cursor.valueOffset() + (cursor.valueLength() << 8);
        }
        return acc;
    }

    /**
     * Decodes every fixture once and checks it yields the intended row (kinds and value bytes).
     *
     * @throws IllegalStateException if not
     */
    static void verify(BenchRowMessages messages) {
        PgOutputDecoder d = new PgOutputDecoder(messages.options());
        byte kind = messages.format() == Format.TEXT ? (byte) 't' : (byte) 'b';
        List<byte[]> row = messages.values(BenchRowMessages.ROW);
        List<byte[]> updated = messages.values(BenchRowMessages.UPDATED_ROW);
        byte[][] key = new byte[7][];
        key[0] = row.get(0);

        Insert insert = (Insert) d.decode(messages.insert(), 0L);
        expectTuple("insert", insert.newTuple(), kind, row.toArray(new byte[0][]));
        Update update = (Update) d.decode(messages.update(), 0L);
        expectTuple("update old key", update.oldTuple(), kind, key);
        expectTuple("update new", update.newTuple(), kind, updated.toArray(new byte[0][]));
        Delete delete = (Delete) d.decode(messages.delete(), 0L);
        expectTuple("delete key", delete.oldTuple(), kind, key);
        XLogData frame = (XLogData) ReplicationFrameDecoder.decode(messages.insertFrame());
        if (frame.dataStart() != BenchRowMessages.FRAME_LSN) {
            throw new IllegalStateException("frame: wrong dataStart " + frame);
        }
        Insert framed = (Insert) d.decode(frame);
        expectTuple("frame insert", framed.newTuple(), kind, row.toArray(new byte[0][]));
    }

    /** A null expected value means a NULL column. */
    private static void expectTuple(String what, TupleData tuple, byte kind, byte[][] expected) {
        if (tuple.columnCount() != expected.length) {
            throw new IllegalStateException(
                    what + ": " + tuple.columnCount() + " columns, expected " + expected.length);
        }
        TupleCursor c = tuple.cursor();
        while (c.next()) {
            byte[] value = expected[c.index()];
            boolean ok;
            if (value == null) {
                ok = c.isNull();
            } else {
                ok =
                        c.kindTag() == kind
                                && Arrays.equals(
                                        c.buffer(),
                                        c.valueOffset(),
                                        c.valueOffset() + c.valueLength(),
                                        value,
                                        0,
                                        value.length);
            }
            if (!ok) {
                throw new IllegalStateException(
                        what + ": column " + c.index() + " decoded as " + tuple);
            }
        }
    }
}
