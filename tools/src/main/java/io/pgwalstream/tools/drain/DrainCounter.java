package io.pgwalstream.tools.drain;

import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.protocol.XLogData;
import io.pgwalstream.replication.MessageSink;
import io.pgwalstream.replication.SessionStart;

/**
 * Counts what a session hands over until the end position, with pg_recvlogical's {@code --endpos}
 * rule, so both contenders consume exactly the same messages:
 *
 * <ul>
 *   <li>an XLogData whose dataStart is past the end is not consumed, and ends the drain;
 *   <li>an XLogData whose dataStart equals the end is consumed, and ends the drain;
 *   <li>a keepalive whose walEnd reaches the end ends the drain.
 * </ul>
 *
 * <p>Framing only: the pgoutput payload is not decoded; its first byte (the message tag) is looked
 * at to count row changes (Insert, Update, Delete), so a run can be checked against the number of
 * rows written.
 */
final class DrainCounter implements MessageSink {

    private static final int TAG_OFFSET = XLogData.HEADER_LENGTH;

    private final long endLsn;
    private long messages;
    private long payloadBytes;
    private long rowChanges;
    private long keepalives;
    private int sessions;
    private boolean done;

    DrainCounter(Lsn endLsn) {
        this.endLsn = endLsn.value();
    }

    @Override
    public void onSessionStart(SessionStart start) {
        sessions = start.sessionNumber();
        if (sessions > 1) {
            throw new IllegalStateException(
                    "The session reconnected (session " + sessions + "): run void");
        }
    }

    @Override
    public void onMessage(byte[] copyData) {
        if (done) {
            return; // the rest of a batch polled together with the end
        }
        byte tag = copyData[0];
        if (tag == XLogData.TAG) {
            long dataStart = getLong(copyData, 1);
            if (Long.compareUnsigned(dataStart, endLsn) > 0) {
                done = true;
                return;
            }
            messages++;
            payloadBytes += copyData.length - XLogData.HEADER_LENGTH;
            if (copyData.length > TAG_OFFSET && isRowChange(copyData[TAG_OFFSET])) {
                rowChanges++;
            }
            if (dataStart == endLsn) {
                done = true;
            }
        } else {
            keepalives++;
            if (Long.compareUnsigned(getLong(copyData, 1), endLsn) >= 0) {
                done = true;
            }
        }
    }

    boolean done() {
        return done;
    }

    /** XLogData messages consumed (every pgoutput message, not only rows). */
    long messages() {
        return messages;
    }

    /** Bytes of pgoutput payload consumed: what pg_recvlogical writes, without its newlines. */
    long payloadBytes() {
        return payloadBytes;
    }

    /** Insert, Update and Delete messages consumed. */
    long rowChanges() {
        return rowChanges;
    }

    private static boolean isRowChange(byte tag) {
        return tag == 'I' || tag == 'U' || tag == 'D';
    }

    long keepalives() {
        return keepalives;
    }

    int sessions() {
        return sessions;
    }

    private static long getLong(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[at + i] & 0xFF);
        }
        return v;
    }
}
