package io.pgwalstream.replication;

import io.pgwalstream.protocol.PgTimestamps;
import io.pgwalstream.protocol.StandbyStatusUpdate;

import org.postgresql.copy.CopyDual;

import java.sql.SQLException;
import java.time.Clock;

/**
 * Writes standby status updates ({@code 'r'}) for the I/O thread: the write position received so
 * far and the flush and apply positions the consumer gave {@link LsnFeedback} — never a position
 * behind where the walsender session started, because some server versions let a lower value move
 * {@code confirmed_flush_lsn} backwards. Until the consumer confirmed something at or past the
 * start, the update carries 0/0, which the server ignores.
 */
final class StatusReports {

    private final LsnFeedback feedback;
    private final byte[] buffer = new byte[StandbyStatusUpdate.LENGTH];

    StatusReports(LsnFeedback feedback) {
        this.feedback = feedback;
    }

    /** The flush LSN an update sent now would carry. */
    long flushToSend(long startLsn) {
        long flushed = feedback.flushedValue();
        return Long.compareUnsigned(flushed, startLsn) >= 0 ? flushed : 0L;
    }

    /** Sends one update; returns the flush LSN it carried (0 when there was none to report). */
    long send(CopyDual copy, long startLsn, long receivedLsn, boolean askForReply)
            throws SQLException {
        long flushed = flushToSend(startLsn);
        long applied =
                Long.compareUnsigned(feedback.appliedValue(), startLsn) >= 0
                        ? feedback.appliedValue()
                        : flushed;
        new StandbyStatusUpdate(
                        receivedLsn,
                        flushed,
                        applied,
                        PgTimestamps.now(Clock.systemUTC()),
                        askForReply)
                .encode(buffer, 0);
        copy.writeToCopy(buffer, 0, buffer.length);
        copy.flushCopy();
        return flushed;
    }
}
