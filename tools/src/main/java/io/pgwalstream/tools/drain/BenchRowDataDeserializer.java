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

import java.util.concurrent.atomic.LongAdder;

/**
 * Every column of every Insert, Update and Delete to {@link RowData} with the default type mapping,
 * as a changelog (+I, +U, -D): the conversion work a RowData job does. Counts the rows it emits in
 * {@link #ROWS}, which the benchmark reads in the same JVM after the job.
 */
final class BenchRowDataDeserializer implements ChangeEventDeserializer<RowData> {

    private static final long serialVersionUID = 1L;

    static final LongAdder ROWS = new LongAdder();

    private transient Relation relation;
    private transient TupleToRowData converter;

    @Override
    public void deserialize(ChangeEvent event, Collector<RowData> out) {
        ChangeKind kind = event.kind();
        if (kind != ChangeKind.INSERT && kind != ChangeKind.UPDATE && kind != ChangeKind.DELETE) {
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
            RowKind rowKind = kind == ChangeKind.INSERT ? RowKind.INSERT : RowKind.UPDATE_AFTER;
            out.collect(converter.convert(event.after(), null, rowKind));
        }
        ROWS.increment();
        StreamWindow.row();
    }

    static void reset() {
        ROWS.reset();
        StreamWindow.reset();
    }

    @Override
    public TypeInformation<RowData> getProducedType() {
        // Never serialized: the source is chained to the sink with object reuse.
        return TypeInformation.of(RowData.class);
    }
}
