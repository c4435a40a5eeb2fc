package io.pgwalstream.e2e.jobs.sequence.table;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.factories.DynamicTableSourceFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

import java.util.List;
import java.util.Set;

/**
 * {@code 'connector' = 'e2e-sequence'}: the {@code SequenceSource} as a SQL table with the columns
 * {@code (split INT, seq BIGINT)}. It exists so that the e2e tests can load a connector into the
 * SQL Gateway with {@code ADD JAR}, as users will load the pg-walstream SQL jar.
 */
public final class SequenceTableFactory implements DynamicTableSourceFactory {

    public static final String IDENTIFIER = "e2e-sequence";

    public static final ConfigOption<Integer> SPLITS =
            ConfigOptions.key("splits")
                    .intType()
                    .defaultValue(2)
                    .withDescription("Number of sequences (splits).");

    public static final ConfigOption<Long> RECORDS_PER_SPLIT =
            ConfigOptions.key("records-per-split")
                    .longType()
                    .noDefaultValue()
                    .withDescription("Length of each sequence.");

    public static final ConfigOption<Integer> RECORDS_PER_SECOND =
            ConfigOptions.key("records-per-second")
                    .intType()
                    .defaultValue(0)
                    .withDescription("Pace per split; 0 for none.");

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(RECORDS_PER_SPLIT);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of(SPLITS, RECORDS_PER_SECOND);
    }

    @Override
    public DynamicTableSource createDynamicTableSource(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        helper.validate();
        DataType rowType = context.getPhysicalRowDataType();
        List<DataType> fields = DataType.getFieldDataTypes(rowType);
        if (fields.size() != 2
                || !fields.get(0).getLogicalType().is(LogicalTypeRoot.INTEGER)
                || !fields.get(1).getLogicalType().is(LogicalTypeRoot.BIGINT)) {
            throw new ValidationException(
                    "Connector '"
                            + IDENTIFIER
                            + "' needs the columns (INT, BIGINT), got "
                            + rowType);
        }
        ReadableConfig options = helper.getOptions();
        return new SequenceTableSource(
                rowType,
                options.get(SPLITS),
                options.get(RECORDS_PER_SPLIT),
                options.get(RECORDS_PER_SECOND));
    }
}
