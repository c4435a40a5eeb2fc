package io.pgwalstream.changes;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A transaction prepared for two-phase commit (or being received as Begin Prepare…Prepare), held
 * until Commit Prepared or Rollback Prepared.
 */
final class PreparedTransaction implements AutoCloseable {

    final String gid;
    final int xid;
    final long prepareLsn;
    final long prepareEndLsn;
    final long prepareTime;
    final TransactionBuffer buffer;

    /** Whether the buffer holds stream-block messages (with xids) rather than b…P ones. */
    final boolean streamed;

    String originName;

    /**
     * For Begin Prepare…Prepare: the session's relations that changes used without the transaction
     * announcing them itself, as they were when the change arrived — so that replaying at Commit
     * Prepared sees the same shape even if the session cache moved on meanwhile.
     */
    final Map<Integer, RelationSchema> pinnedRelations = new HashMap<>();

    /** For Begin Prepare…Prepare: relation OIDs announced inside the transaction. */
    final Set<Integer> announcedRelations = new HashSet<>();

    PreparedTransaction(
            String gid,
            int xid,
            long prepareLsn,
            long prepareEndLsn,
            long prepareTime,
            TransactionBuffer buffer,
            boolean streamed,
            String originName) {
        this.gid = gid;
        this.xid = xid;
        this.prepareLsn = prepareLsn;
        this.prepareEndLsn = prepareEndLsn;
        this.prepareTime = prepareTime;
        this.buffer = buffer;
        this.streamed = streamed;
        this.originName = originName;
    }

    @Override
    public void close() {
        buffer.close();
    }
}
