package io.pgwalstream.flink.rowdata;

import io.pgwalstream.changes.ChangeEvent;
import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.protocol.PgTimestamps;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.types.RowKind;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The metadata a row can carry ({@code col TYPE METADATA FROM 'key' VIRTUAL}), all describing the
 * change, none of them writable.
 */
@PublicEvolving
public enum MetadataColumn {
    SCHEMA_NAME("schema_name", DataTypes.STRING().notNull()) {
        @Override
        Object read(ChangeEvent event, RowKind kind, StringData database) {
            return StringData.fromString(event.relation().schemaName());
        }
    },
    TABLE_NAME("table_name", DataTypes.STRING().notNull()) {
        @Override
        Object read(ChangeEvent event, RowKind kind, StringData database) {
            return StringData.fromString(event.relation().tableName());
        }
    },
    DATABASE_NAME("database_name", DataTypes.STRING().notNull()) {
        @Override
        Object read(ChangeEvent event, RowKind kind, StringData database) {
            return database;
        }
    },
    /**
     * Commit time of the transaction, in milliseconds as in Flink CDC; 0 (1970-01-01) for rows of
     * the initial snapshot, as there.
     */
    OP_TS("op_ts", DataTypes.TIMESTAMP_LTZ(3).notNull()) {
        @Override
        Object read(ChangeEvent event, RowKind kind, StringData database) {
            return TimestampData.fromEpochMillis(
                    event.fromSnapshot()
                            ? 0L
                            : PgTimestamps.toUnixMillis(event.transaction().commitTime()));
        }
    },
    /**
     * LSN of the transaction's commit record, as PostgreSQL prints it ({@code 0/16B3748}); for rows
     * of the initial snapshot, the snapshot's LSN.
     */
    LSN("lsn", DataTypes.STRING().notNull()) {
        @Override
        Object read(ChangeEvent event, RowKind kind, StringData database) {
            return StringData.fromString(Lsn.format(event.position().commitLsn()));
        }
    },
    /** Top-level transaction id (32 bits, unsigned). */
    XID("xid", DataTypes.BIGINT().notNull()) {
        @Override
        Object read(ChangeEvent event, RowKind kind, StringData database) {
            return Integer.toUnsignedLong(event.transaction().xid());
        }
    },
    /** Replication origin of the transaction; NULL for local changes. */
    ORIGIN("origin", DataTypes.STRING().nullable()) {
        @Override
        Object read(ChangeEvent event, RowKind kind, StringData database) {
            String origin = event.transaction().originName();
            return origin == null ? null : StringData.fromString(origin);
        }
    },
    /** Whether the row was read by the initial snapshot (true) or streamed from the WAL. */
    FROM_SNAPSHOT("from_snapshot", DataTypes.BOOLEAN().notNull()) {
        @Override
        Object read(ChangeEvent event, RowKind kind, StringData database) {
            return event.fromSnapshot();
        }
    },
    /** {@code +I}, {@code -U}, {@code +U} or {@code -D}. */
    ROW_KIND("row_kind", DataTypes.STRING().notNull()) {
        @Override
        Object read(ChangeEvent event, RowKind kind, StringData database) {
            return StringData.fromString(kind.shortString());
        }
    };

    private final String key;
    private final DataType dataType;

    MetadataColumn(String key, DataType dataType) {
        this.key = key;
        this.dataType = dataType;
    }

    public String key() {
        return key;
    }

    public DataType dataType() {
        return dataType;
    }

    /** The internal (RowData) value for a row of {@code kind} made from {@code event}. */
    abstract Object read(ChangeEvent event, RowKind kind, StringData database);

    /**
     * @throws ValidationException naming the known keys if {@code key} is none of them
     */
    public static MetadataColumn ofKey(String key) {
        for (MetadataColumn column : values()) {
            if (column.key.equals(key)) {
                return column;
            }
        }
        throw new ValidationException(
                "Unknown metadata key '"
                        + key
                        + "'; pg-walstream offers "
                        + Arrays.stream(values())
                                .map(MetadataColumn::key)
                                .collect(Collectors.joining(", ")));
    }
}
