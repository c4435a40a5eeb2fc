package io.pgwalstream.replication;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * Tells an invalidated slot apart from the other refusals of SQLSTATE 55000 by reading the slot's
 * row, so that the error can name the cause and the way out.
 */
final class SlotInvalidationCheck {

    private static final Logger LOG = LoggerFactory.getLogger(SlotInvalidationCheck.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private SlotInvalidationCheck() {}

    /**
     * The error for {@code slotName} if the server invalidated it; null if it did not, or if the
     * lookup failed (the caller keeps its own error then).
     */
    @Nullable
    static SlotInvalidatedException lookUp(
            PgConnectionConfig config, String slotName, Throwable failure) {
        try (Connection sql = PgConnections.openSql(config, TIMEOUT)) {
            Optional<SlotInfo> slot = SlotInfoQuery.find(sql, ServerVersion.of(sql), slotName);
            if (slot.isPresent() && slot.get().invalidated()) {
                return SlotInvalidatedException.of(slot.get(), failure);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Could not read replication slot '{}' to explain a failure", slotName, e);
        }
        return null;
    }
}
