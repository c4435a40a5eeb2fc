package io.pgwalstream.protocol;

/** A server-to-client CopyData message of a replication connection. */
public sealed interface ReplicationFrame permits XLogData, PrimaryKeepalive {

    /** The wire tag, {@code 'w'} or {@code 'k'}. */
    byte tag();
}
