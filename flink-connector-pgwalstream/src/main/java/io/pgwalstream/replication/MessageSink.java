package io.pgwalstream.replication;

/**
 * Receives what a {@link ReplicationStream} hands over, in arrival order, on the consumer thread.
 */
public interface MessageSink {

    /**
     * A new walsender session started streaming. Everything received after this belongs to the new
     * session: per-session state (relation cache, partial transactions) must be dropped, and
     * transactions already processed may arrive again.
     */
    void onSessionStart(SessionStart start);

    /**
     * One CopyData payload from the server: an XLogData ({@code 'w'}) or keepalive ({@code 'k'}).
     */
    void onMessage(byte[] copyData);
}
