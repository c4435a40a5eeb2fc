package io.pgwalstream.replication;

import io.pgwalstream.protocol.Lsn;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Notices, on each new walsender session of a stream, that the server is not the one the stream
 * started on: an unrelated system (another system identifier) is refused, and a promoted standby
 * (same system, another timeline) must hold a copy of the slot that is not past the stream's
 * position, or the changes in between would be skipped silently. One check per session; the stream
 * of a session sees one server.
 */
final class FailoverCheck {

    private static final Logger LOG = LoggerFactory.getLogger(FailoverCheck.class);

    private static final String SLOT =
            "SELECT confirmed_flush_lsn::text FROM pg_catalog.pg_replication_slots"
                    + " WHERE slot_name = ?";

    private SystemIdentity first;
    private long timeline;

    /** Before {@code START_REPLICATION} of a session that resumes at {@code resumeFrom}. */
    void check(Connection replication, String slot, Lsn resumeFrom) throws SQLException {
        SystemIdentity now = SystemIdentity.read(replication);
        if (first == null) {
            first = now;
            timeline = now.timeline();
            return;
        }
        if (!first.systemId().equals(now.systemId())) {
            throw new ReplicationException(
                    "The stream of slot '"
                            + slot
                            + "' reconnected to another PostgreSQL system (system identifier "
                            + now.systemId()
                            + "; it started on "
                            + first.systemId()
                            + "). A slot of the same name there is not the one the job read: the"
                            + " hosts of the connection must be one primary and its standbys.",
                    null);
        }
        if (now.timeline() == timeline) {
            return;
        }
        LOG.info(
                "Slot '{}' continues on a promoted server: timeline {} (was {})",
                slot,
                now.timeline(),
                timeline);
        Lsn confirmed = confirmedFlush(replication, slot);
        if (confirmed == null) {
            throw new ReplicationException(
                    "The promoted server (timeline "
                            + now.timeline()
                            + ") has no copy of replication slot '"
                            + slot
                            + "': it was not a failover slot (failoverSlots(true), 'slot.failover'"
                            + " = 'true'; PostgreSQL 17+), or the standby did not synchronise it"
                            + " (sync_replication_slots = on, hot_standby_feedback = on,"
                            + " primary_slot_name, a dbname in primary_conninfo, and the standby's"
                            + " slot in the primary's synchronized_standby_slots). The changes"
                            + " after the job's position "
                            + resumeFrom
                            + " are in no slot here: start the job anew with an initial snapshot.",
                    null);
        }
        if (resumeFrom.isValid() && confirmed.isAfter(resumeFrom)) {
            throw new ReplicationException(
                    "The promoted server's copy of replication slot '"
                            + slot
                            + "' is at "
                            + confirmed
                            + ", past the job's position "
                            + resumeFrom
                            + ": the changes in between would be skipped. Start the job anew with"
                            + " an initial snapshot.",
                    null);
        }
        timeline = now.timeline();
    }

    private static Lsn confirmedFlush(Connection replication, String slot) throws SQLException {
        try (PreparedStatement s = replication.prepareStatement(SLOT)) {
            s.setString(1, slot);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                String lsn = rs.getString(1);
                return lsn == null ? Lsn.INVALID : Lsn.parse(lsn);
            }
        }
    }
}
