package io.pgwalstream.e2e.jobs.sequence.table;

import io.pgwalstream.e2e.jobs.sequence.SequenceRecordMapper;
import io.pgwalstream.e2e.jobs.sequence.SequenceSource;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.ScanTableSource;
import org.apache.flink.table.connector.source.SourceProvider;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;

/** Scans a {@link SequenceSource} as insert-only {@code (split, seq)} rows. */
final class SequenceTableSource implements ScanTableSource {

    private final DataType rowType;
    private final int splits;
    private final long recordsPerSplit;
    private final int recordsPerSecond;

    SequenceTableSource(DataType rowType, int splits, long recordsPerSplit, int recordsPerSecond) {
        this.rowType = rowType;
        this.splits = splits;
        this.recordsPerSplit = recordsPerSplit;
        this.recordsPerSecond = recordsPerSecond;
    }

    @Override
    public ChangelogMode getChangelogMode() {
        return ChangelogMode.insertOnly();
    }

    @Override
    public ScanRuntimeProvider getScanRuntimeProvider(ScanContext context) {
        TypeInformation<RowData> type = context.createTypeInformation(rowType);
        return SourceProvider.of(
                new SequenceSource<>(
                        splits, recordsPerSplit, recordsPerSecond, null, new Rows(), type));
    }

    @Override
    public DynamicTableSource copy() {
        return new SequenceTableSource(rowType, splits, recordsPerSplit, recordsPerSecond);
    }

    @Override
    public String asSummaryString() {
        return SequenceTableFactory.IDENTIFIER;
    }

    /** One {@code (split, seq)} row per element. */
    static final class Rows implements SequenceRecordMapper<RowData> {
        private static final long serialVersionUID = 1L;

        @Override
        public RowData map(int split, long seq) {
            return GenericRowData.of(split, seq);
        }
    }
}
