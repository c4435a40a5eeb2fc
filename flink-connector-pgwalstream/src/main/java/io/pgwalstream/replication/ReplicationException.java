package io.pgwalstream.replication;

/**
 * A replication failure the session does not retry: the message says what happened and what to do.
 * The original driver exception, if any, is the cause (it never contains the password: pgjdbc
 * receives credentials as properties, not in the URL).
 */
public class ReplicationException extends RuntimeException {

    private final String sqlState;

    public ReplicationException(String message, String sqlState, Throwable cause) {
        super(message, cause);
        this.sqlState = sqlState;
    }

    public ReplicationException(String message, Throwable cause) {
        this(message, null, cause);
    }

    /** The server's SQLSTATE, when the failure came from the server. */
    public String sqlState() {
        return sqlState;
    }
}
