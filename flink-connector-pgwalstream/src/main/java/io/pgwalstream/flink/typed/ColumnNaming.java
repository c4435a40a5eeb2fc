package io.pgwalstream.flink.typed;

import org.apache.flink.annotation.PublicEvolving;

/** How a Java field or record component name becomes a PostgreSQL column name. */
@PublicEvolving
public enum ColumnNaming {
    /** The name as it is ({@code orderId} reads column {@code orderId}). */
    EXACT,
    /** camelCase to snake_case ({@code orderId} reads {@code order_id}), PostgreSQL's habit. */
    SNAKE_CASE,
    /** Lower case ({@code orderId} reads {@code orderid}): unquoted SQL identifiers fold so. */
    LOWER_CASE;

    public String column(String field) {
        switch (this) {
            case SNAKE_CASE:
                StringBuilder sb = new StringBuilder(field.length() + 4);
                for (int i = 0; i < field.length(); i++) {
                    char c = field.charAt(i);
                    if (Character.isUpperCase(c)) {
                        if (i > 0 && field.charAt(i - 1) != '_') {
                            sb.append('_');
                        }
                        sb.append(Character.toLowerCase(c));
                    } else {
                        sb.append(c);
                    }
                }
                return sb.toString();
            case LOWER_CASE:
                return field.toLowerCase(java.util.Locale.ROOT);
            default:
                return field;
        }
    }
}
