package io.pgwalstream.tools.rowdata;

import io.pgwalstream.flink.rowdata.ConversionPolicies;
import io.pgwalstream.flink.rowdata.ConversionWarnings;
import io.pgwalstream.flink.rowdata.TupleToRowData;
import io.pgwalstream.protocol.Insert;
import io.pgwalstream.protocol.PgOutputDecoder;
import io.pgwalstream.protocol.Relation;
import io.pgwalstream.protocol.RelationColumn;
import io.pgwalstream.protocol.ReplicaIdentity;
import io.pgwalstream.protocol.StreamableMessage;
import io.pgwalstream.tools.decode.BenchRowMessages;
import io.pgwalstream.tools.decode.BenchRowMessages.Format;
import io.pgwalstream.tools.decode.BenchRowMessages.Row;
import io.pgwalstream.types.PgTypeRegistry;

import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.TimestampData;

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

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An Insert of the 7-column benchmark row, from message bytes to a Flink {@link RowData}: the
 * decoder reads the message, then {@link TupleToRowData} converts every column to its default Flink
 * type (BIGINT, INT, DECIMAL(12, 2), STRING, STRING, TIMESTAMP_LTZ(6), BOOLEAN) straight from the
 * message buffer. One operation is one row, on one thread, as on a source reader's task thread.
 * Text ({@code 't'} values) and binary ({@code binary=true}) wire forms.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RowDataBenchmark {

    // Type OIDs of the benchmark table's columns, in order.
    private static final int INT8 = 20;
    private static final int INT4 = 23;
    private static final int NUMERIC = 1700;
    private static final int TEXT = 25;
    private static final int TIMESTAMPTZ = 1184;
    private static final int BOOL = 16;

    /** numeric(12,2): precision in the high half, scale in the low half, plus the header. */
    private static final int NUMERIC_12_2 = ((12 << 16) | 2) + 4;

    @Param({"text", "binary"})
    public String format;

    private PgOutputDecoder decoder;
    private TupleToRowData converter;
    private byte[] insert;

    @Setup
    public void setUp() {
        BenchRowMessages messages = BenchRowMessages.of(Format.parse(format));
        decoder = new PgOutputDecoder(messages.options());
        converter =
                TupleToRowData.allColumns(
                        relation(),
                        new PgTypeRegistry(),
                        ConversionPolicies.defaults(),
                        new ConversionWarnings());
        insert = messages.insert();
        // Measure nothing that does not convert to the intended row.
        verify(insertToRowData(), BenchRowMessages.ROW);
    }

    @Benchmark
    public RowData insertToRowData() {
        Insert m = (Insert) decoder.decode(insert, BenchRowMessages.FRAME_LSN);
        return converter.convert(m.newTuple());
    }

    /** The Relation message PostgreSQL sends for the benchmark table. */
    static Relation relation() {
        return new Relation(
                StreamableMessage.NO_XID,
                BenchRowMessages.RELATION_OID,
                "public",
                "bench",
                ReplicaIdentity.DEFAULT,
                List.of(
                        new RelationColumn(RelationColumn.FLAG_KEY, "id", INT8, -1),
                        new RelationColumn(0, "a", INT4, -1),
                        new RelationColumn(0, "amount", NUMERIC, NUMERIC_12_2),
                        new RelationColumn(0, "s1", TEXT, -1),
                        new RelationColumn(0, "s2", TEXT, -1),
                        new RelationColumn(0, "ts", TIMESTAMPTZ, -1),
                        new RelationColumn(0, "flag", BOOL, -1)));
    }

    /**
     * Checks every field of a converted row against the row the messages were built from.
     *
     * @throws IllegalStateException if a field differs
     */
    static void verify(RowData row, Row expected) {
        GenericRowData actual = (GenericRowData) row;
        List<Object> fields =
                List.of(
                        actual.getLong(0),
                        actual.getInt(1),
                        actual.getDecimal(2, 12, 2).toBigDecimal(),
                        actual.getString(3).toString(),
                        actual.getString(4).toString(),
                        actual.getTimestamp(5, 6),
                        actual.getBoolean(6));
        List<Object> wanted =
                List.of(
                        expected.id(),
                        expected.a(),
                        expected.amount(),
                        expected.s1(),
                        expected.s2(),
                        TimestampData.fromInstant(expected.ts()),
                        expected.flag());
        if (!fields.equals(wanted)) {
            throw new IllegalStateException("converted " + fields + ", expected " + wanted);
        }
    }
}
