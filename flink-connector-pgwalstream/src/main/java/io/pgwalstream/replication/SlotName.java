package io.pgwalstream.replication;

/**
 * Validates replication slot names the way the server will, so a bad name fails with a clear
 * message before any connection is made: 1–63 characters, only lower-case ASCII letters, digits and
 * underscores.
 */
public final class SlotName {

    static final int MAX_LENGTH = 63;

    private SlotName() {}

    public static String validate(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("The replication slot name is empty");
        }
        if (name.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "Replication slot name '"
                            + name
                            + "' is longer than "
                            + MAX_LENGTH
                            + " characters");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
            if (!allowed) {
                throw new IllegalArgumentException(
                        "Replication slot name '"
                                + name
                                + "' contains '"
                                + c
                                + "': PostgreSQL allows only lower-case letters, digits and"
                                + " underscores in slot names");
            }
        }
        return name;
    }
}
