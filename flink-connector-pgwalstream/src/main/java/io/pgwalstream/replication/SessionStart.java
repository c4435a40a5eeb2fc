package io.pgwalstream.replication;

import io.pgwalstream.protocol.Lsn;

/**
 * A walsender session began streaming.
 *
 * @param sessionNumber 1 for the first session, then one more per reconnect or timeline switch
 * @param startLsn where the session was asked to start (0/0: the slot's confirmed position)
 * @param timeline the timeline streamed (physical replication), 0 for logical replication
 */
public record SessionStart(int sessionNumber, Lsn startLsn, long timeline) {}
