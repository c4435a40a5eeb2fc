package io.pgwalstream.tools.drain;

import io.pgwalstream.changes.ChangeEvent;
import io.pgwalstream.changes.ChangeKind;
import io.pgwalstream.flink.rowdata.ConversionPolicies;
import io.pgwalstream.flink.rowdata.ConversionWarnings;
import io.pgwalstream.flink.rowdata.TupleToRowData;
import io.pgwalstream.flink.source.ChangeEventDeserializer;
import io.pgwalstream.protocol.Relation;
import io.pgwalstream.types.PgTypeRegistry;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.table.data.RowData;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.Collector;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every column of every Insert, Update and Delete, and of every row an initial snapshot reads, to
 * {@link RowData} with the default type mapping, as a changelog (+I, +U, -D; a snapshot row +I):
 * the conversion work a RowData job does. Counts the rows it emits in {@link #ROWS}, which the
 * benchmark reads in the same JVM after the job.
 *
 * <p>{@link StreamWindow} times the first to the last row of one task thread; a job of higher
 * parallelism builds the deserializer {@link #withoutStreamWindow()} (every subtask would write the
 * window's fields, shared between cores, for each row) and times its first row with {@link
 * #firstRowNanos()}.
 */
public final class BenchRowDataDeserializer implements ChangeEventDeserializer<RowData> {

    private static final long serialVersionUID = 1L;

    static final LongAdder ROWS = new LongAdder();

    /** The earliest first row of any subtask since {@link #reset()}, 0 while none. */
    private static final AtomicLong FIRST_ROW_NANOS = new AtomicLong();

    private final boolean streamWindow;

    private transient boolean emitted;

    private transient Relation relation;
    private transient TupleToRowData converter;

    public BenchRowDataDeserializer() {
        this(true);
    }

    private BenchRowDataDeserializer(boolean streamWindow) {
        this.streamWindow = streamWindow;
    }

    /** Counts rows and times the first, but keeps no {@link StreamWindow}: for parallel jobs. */
    public static BenchRowDataDeserializer withoutStreamWindow() {
        return new BenchRowDataDeserializer(false);
    }

    @Override
    public void deserialize(ChangeEvent event, Collector<RowData> out) {
        ChangeKind kind = event.kind();
        if (kind != ChangeKind.INSERT
                && kind != ChangeKind.UPDATE
                && kind != ChangeKind.DELETE
                && kind != ChangeKind.SNAPSHOT) {
            return;
        }
        Relation r = event.relation().relation();
        if (r != relation) {
            relation = r;
            converter =
                    TupleToRowData.allColumns(
                            r,
                            new PgTypeRegistry(),
                            ConversionPolicies.defaults(),
                            new ConversionWarnings());
        }
        if (kind == ChangeKind.DELETE) {
            out.collect(converter.convert(event.before(), null, RowKind.DELETE));
        } else {
            RowKind rowKind = kind == ChangeKind.UPDATE ? RowKind.UPDATE_AFTER : RowKind.INSERT;
            out.collect(converter.convert(event.after(), null, rowKind));
        }
        ROWS.increment();
        if (streamWindow) {
            StreamWindow.row();
        }
        if (!emitted) {
            emitted = true;
            long now = System.nanoTime();
            FIRST_ROW_NANOS.accumulateAndGet(now, (a, b) -> a == 0 ? b : Math.min(a, b));
        }
    }

    /** Forgets the rows counted and the first row's time. */
    public static void reset() {
        ROWS.reset();
        FIRST_ROW_NANOS.set(0);
        StreamWindow.reset();
    }

    /** Rows emitted since {@link #reset()} by every instance in this JVM. */
    public static long rows() {
        return ROWS.sum();
    }

    /** {@link System#nanoTime()} of the first row since {@link #reset()}, 0 if none came. */
    public static long firstRowNanos() {
        return FIRST_ROW_NANOS.get();
    }

    @Override
    public TypeInformation<RowData> getProducedType() {
        // Never serialized: the source is chained to the sink with object reuse.
        return TypeInformation.of(RowData.class);
    }
}
