package io.pgwalstream.replication;

import io.pgwalstream.protocol.Lsn;

/**
 * Progress of a replication session.
 *
 * @param receivedLsn the highest WAL end received (XLogData or keepalive)
 * @param serverWalEnd the server's WAL end as last reported
 * @param confirmedLsn the flush LSN last sent to the server
 * @param sessions how many walsender sessions were started (1 + reconnects)
 * @param failures how many connection failures were retried (a lost connection, a reconnect the
 *     server refused)
 * @param bufferedMessages messages received but not yet taken by the consumer
 */
public record SessionStatus(
        Lsn receivedLsn,
        Lsn serverWalEnd,
        Lsn confirmedLsn,
        int sessions,
        int failures,
        int bufferedMessages,
        long bufferedBytes) {

    public int reconnects() {
        return Math.max(0, sessions - 1);
    }
}
