package io.pgwalstream.e2e.cluster;

/** An HTTP call to Flink answered with an error status, or not at all. */
public final class RestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    RestException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status; 0 when there was no answer (connection refused, timeout). */
    public int status() {
        return status;
    }
}
