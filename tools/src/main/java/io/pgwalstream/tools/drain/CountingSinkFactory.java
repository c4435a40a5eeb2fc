package io.pgwalstream.tools.drain;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.SinkV2Provider;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.binary.BinaryStringData;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.types.RowKind;

import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code 'connector' = 'bench-count'}: Flink's blackhole sink that also counts its rows, for the
 * SQL contenders, which must know that every row arrived. Like blackhole it accepts every row kind
 * but {@code -U}, so the planner adds nothing for it. Counts in static fields that the benchmark
 * reads in the same JVM after the job.
 *
 * <p>With {@code 'check.field'} (a STRING column) and {@code 'check.bytes'} it also counts the
 * inserted and updated rows whose value there is NULL or not of that many UTF-8 bytes ({@link
 * #checkFailures()}): the TOAST benchmark's proof that every large value arrived filled in.
 */
public final class CountingSinkFactory implements DynamicTableSinkFactory {

    public static final String IDENTIFIER = "bench-count";

    static final ConfigOption<String> CHECK_FIELD =
            ConfigOptions.key("check.field")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("A STRING column every +I and +U row must carry a value in.");

    static final ConfigOption<Integer> CHECK_BYTES =
            ConfigOptions.key("check.bytes")
                    .intType()
                    .noDefaultValue()
                    .withDescription("The UTF-8 length that value must have.");

    static final LongAdder ROWS = new LongAdder();

    private static final LongAdder CHECK_FAILURES = new LongAdder();

    /** Zeroes the counters and the {@link StreamWindow} before a run. */
    public static void reset() {
        ROWS.reset();
        CHECK_FAILURES.reset();
        StreamWindow.reset();
    }

    /** Rows written since the last {@link #reset()}. */
    public static long rows() {
        return ROWS.sum();
    }

    /** Rows that failed the {@code check.field} check since the last {@link #reset()}. */
    public static long checkFailures() {
        return CHECK_FAILURES.sum();
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
        return Set.of(CHECK_FIELD, CHECK_BYTES, FactoryUtil.SINK_PARALLELISM);
    }

    @Override
    public DynamicTableSink createDynamicTableSink(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        helper.validate();
        ReadableConfig options = helper.getOptions();
        int field = -1;
        int bytes = -1;
        if (options.getOptional(CHECK_FIELD).isPresent()) {
            String name = options.get(CHECK_FIELD);
            DataType row = context.getPhysicalRowDataType();
            field = DataType.getFieldNames(row).indexOf(name);
            if (field < 0
                    || DataType.getFieldDataTypes(row).get(field).getLogicalType().getTypeRoot()
                            != LogicalTypeRoot.VARCHAR) {
                throw new ValidationException(
                        "'"
                                + CHECK_FIELD.key()
                                + "' must name a STRING column, not '"
                                + name
                                + "'");
            }
            bytes =
                    options.getOptional(CHECK_BYTES)
                            .orElseThrow(
                                    () ->
                                            new ValidationException(
                                                    "'"
                                                            + CHECK_FIELD.key()
                                                            + "' needs '"
                                                            + CHECK_BYTES.key()
                                                            + "'"));
        }
        return new CountingTableSink(
                field, bytes, options.getOptional(FactoryUtil.SINK_PARALLELISM).orElse(null));
    }

    private static final class CountingTableSink implements DynamicTableSink {
        private final int checkField;
        private final int checkBytes;
        private final Integer parallelism;

        CountingTableSink(int checkField, int checkBytes, Integer parallelism) {
            this.checkField = checkField;
            this.checkBytes = checkBytes;
            this.parallelism = parallelism;
        }

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
            return SinkV2Provider.of(new CountingSink(checkField, checkBytes), parallelism);
        }

        @Override
        public DynamicTableSink copy() {
            return new CountingTableSink(checkField, checkBytes, parallelism);
        }

        @Override
        public String asSummaryString() {
            return IDENTIFIER;
        }
    }

    private static final class CountingSink implements Sink<RowData> {
        private static final long serialVersionUID = 1L;

        private final int checkField;
        private final int checkBytes;

        CountingSink(int checkField, int checkBytes) {
            this.checkField = checkField;
            this.checkBytes = checkBytes;
        }

        @Override
        public SinkWriter<RowData> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(RowData row, Context context) {
                    ROWS.increment();
                    StreamWindow.row();
                    if (checkField >= 0 && row.getRowKind() != RowKind.DELETE && !holdsValue(row)) {
                        CHECK_FAILURES.increment();
                    }
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }

        /** The checked value is there and of the expected length, read without copying it. */
        private boolean holdsValue(RowData row) {
            if (row.isNullAt(checkField)) {
                return false;
            }
            StringData value = row.getString(checkField);
            int length =
                    value instanceof BinaryStringData binary
                            ? binary.getSizeInBytes()
                            : value.toBytes().length;
            return length == checkBytes;
        }
    }
}
