package io.pgwalstream.tools.drain;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.SinkV2Provider;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.types.RowKind;

import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code 'connector' = 'bench-count'}: Flink's blackhole sink that also counts its rows, for the
 * SQL contender, which must know that every row arrived. Like blackhole it accepts every row kind
 * but {@code -U}, so the planner adds nothing for it. Counts in static fields that the benchmark
 * reads in the same JVM after the job.
 */
public final class CountingSinkFactory implements DynamicTableSinkFactory {

    static final String IDENTIFIER = "bench-count";

    static final LongAdder ROWS = new LongAdder();

    static void reset() {
        ROWS.reset();
        StreamWindow.reset();
    }

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of();
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of();
    }

    @Override
    public DynamicTableSink createDynamicTableSink(Context context) {
        return new CountingTableSink();
    }

    private static final class CountingTableSink implements DynamicTableSink {

        @Override
        public ChangelogMode getChangelogMode(ChangelogMode requestedMode) {
            ChangelogMode.Builder accepted = ChangelogMode.newBuilder();
            for (RowKind kind : requestedMode.getContainedKinds()) {
                if (kind != RowKind.UPDATE_BEFORE) {
                    accepted.addContainedKind(kind);
                }
            }
            return accepted.build();
        }

        @Override
        public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
            return SinkV2Provider.of(new CountingSink());
        }

        @Override
        public DynamicTableSink copy() {
            return new CountingTableSink();
        }

        @Override
        public String asSummaryString() {
            return IDENTIFIER;
        }
    }

    private static final class CountingSink implements Sink<RowData> {
        private static final long serialVersionUID = 1L;

        @Override
        public SinkWriter<RowData> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(RowData row, Context context) {
                    ROWS.increment();
                    StreamWindow.row();
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
