package io.pgwalstream.replication;

import java.nio.charset.StandardCharsets;

/**
 * SQL identifiers (publication, schema and table names) as PostgreSQL stores them: case and every
 * character kept, so they are always written double-quoted, with {@code ""} for a quote inside.
 */
public final class SqlIdentifier {

    /** NAMEDATALEN - 1: longer names are silently truncated by the server, so refuse them here. */
    static final int MAX_BYTES = 63;

    private SqlIdentifier() {}

    /** {@code My "Pub"} becomes {@code "My ""Pub"""}. */
    public static String quote(String name) {
        return '"' + validate(name, "identifier").replace("\"", "\"\"") + '"';
    }

    /**
     * @param what what the name names, for the message ("publication", "schema", ...)
     * @throws IllegalArgumentException if the server would reject or truncate the name
     */
    public static String validate(String name, String what) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("The " + what + " name is empty");
        }
        if (name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(
                    "The " + what + " name '" + name + "' contains the NUL character");
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw new IllegalArgumentException(
                    "The "
                            + what
                            + " name '"
                            + name
                            + "' is "
                            + bytes
                            + " bytes long in UTF-8; PostgreSQL keeps only "
                            + MAX_BYTES
                            + " and would truncate it");
        }
        return name;
    }
}
