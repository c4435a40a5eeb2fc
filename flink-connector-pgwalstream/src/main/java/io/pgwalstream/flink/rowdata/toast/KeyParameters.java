package io.pgwalstream.flink.rowdata.toast;

import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.LogicalType;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.HexFormat;

/**
 * Key values as PostgreSQL input text, sent as parameters of unspecified type so that the server
 * reads each as its column's type (and the primary key's index applies).
 */
final class KeyParameters {

    private static final HexFormat HEX = HexFormat.of();

    private KeyParameters() {}

    /** Whether {@link #text} can render keys of this type. */
    static boolean supports(LogicalType type) {
        switch (type.getTypeRoot()) {
            case CHAR:
            case VARCHAR:
            case BOOLEAN:
            case TINYINT:
            case SMALLINT:
            case INTEGER:
            case BIGINT:
            case DECIMAL:
            case DATE:
            case TIME_WITHOUT_TIME_ZONE:
            case TIMESTAMP_WITHOUT_TIME_ZONE:
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
            case BINARY:
            case VARBINARY:
                return true;
            default:
                return false;
        }
    }

    /** The PostgreSQL input text of field {@code pos} of {@code row}, of type {@code type}. */
    static String text(RowData row, int pos, LogicalType type) {
        switch (type.getTypeRoot()) {
            case CHAR:
            case VARCHAR:
                StringData s = row.getString(pos);
                return s.toString();
            case BOOLEAN:
                return Boolean.toString(row.getBoolean(pos));
            case TINYINT:
                return Byte.toString(row.getByte(pos));
            case SMALLINT:
                return Short.toString(row.getShort(pos));
            case INTEGER:
                return Integer.toString(row.getInt(pos));
            case BIGINT:
                return Long.toString(row.getLong(pos));
            case DECIMAL:
                DecimalData d = row.getDecimal(pos, precision(type), scale(type));
                return d.toBigDecimal().toPlainString();
            case DATE:
                return LocalDate.ofEpochDay(row.getInt(pos)).toString();
            case TIME_WITHOUT_TIME_ZONE:
                return LocalTime.ofNanoOfDay(row.getInt(pos) * 1_000_000L).toString();
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                TimestampData t = row.getTimestamp(pos, precision(type));
                return t.toLocalDateTime().toString();
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return row.getTimestamp(pos, precision(type)).toInstant().toString();
            case BINARY:
            case VARBINARY:
                return "\\x" + HEX.formatHex(row.getBinary(pos));
            default:
                throw new IllegalArgumentException("No key parameter form for " + type);
        }
    }

    private static int precision(LogicalType type) {
        return org.apache.flink.table.types.logical.utils.LogicalTypeChecks.getPrecision(type);
    }

    private static int scale(LogicalType type) {
        return org.apache.flink.table.types.logical.utils.LogicalTypeChecks.getScale(type);
    }
}
