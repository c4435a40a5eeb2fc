package io.pgwalstream.flink.rowdata;

import io.pgwalstream.changes.ChangeEvent;
import io.pgwalstream.changes.TransactionInfo;
import io.pgwalstream.protocol.LogicalMessage;
import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.protocol.PgTimestamps;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeFamily;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The columns a message stream table ({@code 'stream' = 'messages'}) may declare, by name, and the
 * Flink types each accepts.
 */
@Internal
public enum MessageColumn {
    /** The prefix the writer gave: STRING. */
    PREFIX("prefix", "STRING") {
        @Override
        boolean accepts(LogicalType type) {
            return type.is(LogicalTypeFamily.CHARACTER_STRING);
        }

        @Override
        Object read(ChangeEvent event, LogicalType type) {
            return StringData.fromString(event.message().prefix());
        }
    },
    /** The content: BYTES as written, or STRING decoded as UTF-8. */
    CONTENT("content", "BYTES or STRING (UTF-8)") {
        @Override
        boolean accepts(LogicalType type) {
            return type.is(LogicalTypeFamily.BINARY_STRING)
                    || type.is(LogicalTypeFamily.CHARACTER_STRING);
        }

        @Override
        Object read(ChangeEvent event, LogicalType type) {
            LogicalMessage m = event.message();
            if (type.is(LogicalTypeFamily.BINARY_STRING)) {
                return m.contentCopy();
            }
            return StringData.fromBytes(m.buffer(), m.contentOffset(), m.contentLength());
        }
    },
    /** Whether the message belongs to its transaction: BOOLEAN. */
    TRANSACTIONAL("transactional", "BOOLEAN") {
        @Override
        boolean accepts(LogicalType type) {
            return type.is(LogicalTypeRoot.BOOLEAN);
        }

        @Override
        Object read(ChangeEvent event, LogicalType type) {
            return event.message().transactional();
        }
    },
    /** The LSN of the message record, as PostgreSQL prints it: STRING. */
    LSN("lsn", "STRING") {
        @Override
        boolean accepts(LogicalType type) {
            return type.is(LogicalTypeFamily.CHARACTER_STRING);
        }

        @Override
        Object read(ChangeEvent event, LogicalType type) {
            return StringData.fromString(Lsn.format(event.message().messageLsn()));
        }
    },
    /** The writing transaction's id: BIGINT; NULL for a non-transactional message. */
    XID("xid", "BIGINT") {
        @Override
        boolean accepts(LogicalType type) {
            return type.is(LogicalTypeRoot.BIGINT);
        }

        @Override
        Object read(ChangeEvent event, LogicalType type) {
            TransactionInfo tx = event.transaction();
            return tx.isTransaction() ? Integer.toUnsignedLong(tx.xid()) : null;
        }
    },
    /** The commit time: TIMESTAMP_LTZ(3); NULL for a non-transactional message. */
    COMMIT_TIME("commit_time", "TIMESTAMP_LTZ(3)") {
        @Override
        boolean accepts(LogicalType type) {
            return type.is(LogicalTypeRoot.TIMESTAMP_WITH_LOCAL_TIME_ZONE);
        }

        @Override
        Object read(ChangeEvent event, LogicalType type) {
            TransactionInfo tx = event.transaction();
            return tx.isTransaction()
                    ? TimestampData.fromEpochMillis(PgTimestamps.toUnixMillis(tx.commitTime()))
                    : null;
        }
    };

    private final String column;
    private final String types;

    MessageColumn(String column, String types) {
        this.column = column;
        this.types = types;
    }

    public String column() {
        return column;
    }

    abstract boolean accepts(LogicalType type);

    /** The internal (RowData) value of this column for the MESSAGE {@code event}. */
    abstract Object read(ChangeEvent event, LogicalType type);

    /**
     * The column {@code name} declared as {@code type}.
     *
     * @throws ValidationException naming the known columns, or the types this one accepts
     */
    public static MessageColumn of(String name, LogicalType type) {
        for (MessageColumn c : values()) {
            if (c.column.equals(name)) {
                if (!c.accepts(type)) {
                    throw new ValidationException(
                            "Column '"
                                    + name
                                    + "' of a message stream is declared "
                                    + type.asSummaryString()
                                    + "; it must be "
                                    + c.types);
                }
                return c;
            }
        }
        throw new ValidationException(
                "A message stream ('stream' = 'messages') has no column '"
                        + name
                        + "'; its columns are "
                        + Arrays.stream(values())
                                .map(MessageColumn::column)
                                .collect(Collectors.joining(", ")));
    }
}
