package io.pgwalstream.e2e.jobs.changelog;

import io.pgwalstream.changes.ChangeEvent;
import io.pgwalstream.flink.source.ChangeEventDeserializer;
import io.pgwalstream.protocol.TupleData;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.Collector;

/**
 * Writes each change event of an {@code (id, v)} table as a {@link ChangeLine}. Events of other
 * kinds (TRUNCATE, logical messages) become lines too, without a table, so that an unexpected event
 * shows up in the comparison instead of vanishing here.
 */
public final class ChangeLineDeserializer implements ChangeEventDeserializer<String> {

    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ChangeEvent event, Collector<String> out) {
        String table = event.relation() == null ? ChangeLine.ABSENT : event.relation().tableName();
        TupleData key = event.after() != null ? event.after() : event.before();
        String id = key == null ? ChangeLine.ABSENT : text(key, 0);
        String before = event.beforeIsFullRow() ? text(event.before(), 1) : ChangeLine.ABSENT;
        String after = event.after() == null ? ChangeLine.ABSENT : text(event.after(), 1);
        out.collect(
                new ChangeLine(
                                table,
                                event.position().commitLsn(),
                                event.position().index(),
                                event.kind().name(),
                                id,
                                before,
                                after)
                        .format());
    }

    private static String text(TupleData tuple, int column) {
        return tuple.isNull(column) ? "NULL" : tuple.valueAsString(column);
    }

    @Override
    public TypeInformation<String> getProducedType() {
        return Types.STRING;
    }
}
