package io.pgwalstream.replication;

/**
 * Quoting for replication commands. They are read by the walsender's own lexer, not the SQL one:
 * identifiers are double-quoted with {@code ""} as escape, and string constants are single-quoted
 * with {@code ''} as the only escape — {@code E'...'} strings and backslashes mean nothing there.
 * So every name and value is quoted here, always, and nothing else builds command text.
 */
final class ReplicationSyntax {

    private ReplicationSyntax() {}

    /** {@code my "x"} becomes {@code "my ""x"""}. */
    public static String identifier(String name) {
        requireNoNul(name, "identifier");
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** {@code it's} becomes {@code 'it''s'}. */
    public static String literal(String value) {
        requireNoNul(value, "string constant");
        return '\'' + value.replace("'", "''") + '\'';
    }

    private static void requireNoNul(String text, String what) {
        if (text == null) {
            throw new IllegalArgumentException("A replication " + what + " must not be null");
        }
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(
                    "A replication " + what + " cannot contain the NUL character");
        }
    }
}
