package io.pgwalstream.flink.source;

import io.pgwalstream.changes.ChangeEvent;
import io.pgwalstream.protocol.ColumnKind;
import io.pgwalstream.protocol.TupleData;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.Collector;

import java.nio.ByteBuffer;

/**
 * Test deserializer: {@code "+I table id v"}, {@code "+U ..."}, {@code "-D table id"}, {@code "+S
 * table id v"} for a row of the initial snapshot — enough to compare a stream with the changes a
 * test made.
 */
final class RowTextDeserializer implements ChangeEventDeserializer<String> {

    private static final int INT4_OID = 23;

    @Override
    public void deserialize(ChangeEvent event, Collector<String> out) {
        String table = event.relation() == null ? "" : event.relation().relation().relationName();
        switch (event.kind()) {
            case INSERT:
                out.collect("+I " + table + " " + row(event.after()));
                break;
            case UPDATE:
                out.collect("+U " + table + " " + row(event.after()));
                break;
            case SNAPSHOT:
                out.collect("+S " + table + " " + row(event));
                break;
            case DELETE:
                out.collect("-D " + table + " " + event.before().valueAsString(0));
                break;
            default:
                out.collect(event.kind() + " " + table);
        }
    }

    private static String row(TupleData tuple) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < tuple.columnCount(); i++) {
            sb.append(i == 0 ? "" : " ").append(tuple.valueAsString(i));
        }
        return sb.toString();
    }

    /** A snapshot row: read in binary COPY, so int4 columns are four big-endian bytes. */
    private static String row(ChangeEvent event) {
        TupleData tuple = event.after();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < tuple.columnCount(); i++) {
            sb.append(i == 0 ? "" : " ");
            boolean int4 = event.relation().column(i).typeOid() == INT4_OID;
            if (tuple.kind(i) == ColumnKind.BINARY && int4) {
                sb.append(ByteBuffer.wrap(tuple.valueBytes(i)).getInt());
            } else {
                sb.append(tuple.valueAsString(i));
            }
        }
        return sb.toString();
    }

    @Override
    public TypeInformation<String> getProducedType() {
        return Types.STRING;
    }
}
