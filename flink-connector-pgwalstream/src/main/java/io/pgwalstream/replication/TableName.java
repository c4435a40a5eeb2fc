package io.pgwalstream.replication;

/**
 * A table as PostgreSQL's catalog names it: schema and table exactly as stored (no case folding).
 * {@link #toString()} is the quoted SQL form, which {@link #parse} reads back.
 */
public record TableName(String schema, String table)
        implements Comparable<TableName>, java.io.Serializable {

    public TableName {
        SqlIdentifier.validate(schema, "schema");
        SqlIdentifier.validate(table, "table");
    }

    public static TableName of(String schema, String table) {
        return new TableName(schema, table);
    }

    /**
     * Parses {@code schema.table}. Each part is either double-quoted (then it may hold dots, and
     * {@code ""} stands for a quote) or taken literally up to the dot: {@code public.orders},
     * {@code "Sales ✓"."Order Items"}, {@code Sales.Orders} (upper case kept, not folded).
     *
     * @throws IllegalArgumentException if {@code text} is not of that form
     */
    public static TableName parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("The table name is missing");
        }
        Parser parser = new Parser(text);
        String schema = parser.part();
        parser.expectDot();
        String table = parser.part();
        parser.expectEnd();
        return new TableName(schema, table);
    }

    /** {@code "schema"."table"}, for SQL text. */
    public String quoted() {
        return SqlIdentifier.quote(schema) + '.' + SqlIdentifier.quote(table);
    }

    @Override
    public int compareTo(TableName other) {
        int bySchema = schema.compareTo(other.schema);
        return bySchema != 0 ? bySchema : table.compareTo(other.table);
    }

    @Override
    public String toString() {
        return quoted();
    }

    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        String part() {
            if (pos < text.length() && text.charAt(pos) == '"') {
                return quotedPart();
            }
            int start = pos;
            while (pos < text.length() && text.charAt(pos) != '.' && text.charAt(pos) != '"') {
                pos++;
            }
            if (pos == start) {
                throw invalid("a schema or table name is empty");
            }
            return text.substring(start, pos);
        }

        private String quotedPart() {
            StringBuilder name = new StringBuilder();
            pos++;
            while (true) {
                int quote = text.indexOf('"', pos);
                if (quote < 0) {
                    throw invalid("a double quote is not closed");
                }
                name.append(text, pos, quote);
                pos = quote + 1;
                if (pos < text.length() && text.charAt(pos) == '"') {
                    name.append('"');
                    pos++;
                } else if (name.length() == 0) {
                    throw invalid("a schema or table name is empty");
                } else {
                    return name.toString();
                }
            }
        }

        void expectDot() {
            if (pos >= text.length() || text.charAt(pos) != '.') {
                throw invalid("the schema is missing or not followed by a dot");
            }
            pos++;
        }

        void expectEnd() {
            if (pos != text.length()) {
                throw invalid("unexpected '" + text.substring(pos) + "' after the table name");
            }
        }

        private IllegalArgumentException invalid(String problem) {
            return new IllegalArgumentException(
                    "Invalid table name '"
                            + text
                            + "': "
                            + problem
                            + ". Write schema.table, double-quoting a part that holds a dot or a"
                            + " quote (\"\" inside quotes), e.g. \"Sales\".\"Order Items\"");
        }
    }
}
