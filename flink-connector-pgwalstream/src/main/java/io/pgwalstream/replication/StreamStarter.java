package io.pgwalstream.replication;

import io.pgwalstream.protocol.CopyDataHeaders;
import io.pgwalstream.protocol.Lsn;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyDual;

import java.sql.SQLException;
import java.time.Duration;

/**
 * How a {@link ReplicationSession} connects and starts one walsender session: logical or physical.
 * Runs on the session's I/O thread only.
 */
interface StreamStarter {

    /** What is streamed, for log lines and errors: e.g. {@code slot 'orders'}. */
    String description();

    /** The slot streamed through, or null for none. */
    String slotName();

    /**
     * Opens the kind of replication connection this stream needs, its reads coalesced by {@code
     * readLinger} (zero: not at all).
     */
    PGConnection connect(PgConnectionConfig config, Duration readLinger) throws SQLException;

    /**
     * Prepares (slots, timelines) and sends {@code START_REPLICATION}.
     *
     * @param resumeFrom the last LSN the consumer confirmed, 0/0 if none
     * @param reconnecting whether an earlier session of this stream existed
     */
    Started start(
            PGConnection connection, ServerVersion server, Lsn resumeFrom, boolean reconnecting)
            throws SQLException;

    /**
     * How far the WAL received with {@code copyData} reaches, for the status update's write
     * position and for ending a session at {@link Started#endLsn()}. Logical streams report the
     * server's WAL end; physical streams override this with the end of the WAL bytes carried.
     */
    default long receivedEnd(byte[] copyData) {
        return CopyDataHeaders.walEnd(copyData);
    }

    /**
     * Whether the server has ended the open-ended stream of the current session in a way the driver
     * does not show. Asked by the I/O thread only while the stream is idle, at most once per status
     * interval; answering true makes the session end its stream and start the next one.
     *
     * @param config to open a side connection with, if the check needs one
     */
    default boolean serverEndedStream(PgConnectionConfig config) throws SQLException {
        return false;
    }

    /**
     * A started walsender session.
     *
     * @param endLsn where this session must end (the end of a non-latest timeline), or {@link
     *     Lsn#INVALID} for an open-ended stream
     */
    record Started(CopyDual copy, Lsn startLsn, long timeline, Lsn endLsn) {}
}
