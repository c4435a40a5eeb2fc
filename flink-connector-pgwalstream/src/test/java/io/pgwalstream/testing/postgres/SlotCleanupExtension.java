package io.pgwalstream.testing.postgres;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Backs {@link PostgresTest}: when a test class is done, drops the persistent slots left in the
 * databases it created on the shared servers. Without it, slots of finished tests add up until a
 * later test meets "all replication slots are in use".
 */
final class SlotCleanupExtension implements BeforeAllCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(SlotCleanupExtension.class);
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @Override
    public void beforeAll(ExtensionContext context) {
        Map<PostgresVersion, Integer> databasesBefore = new HashMap<>();
        PostgresServers.started()
                .forEach(
                        (version, pg) ->
                                databasesBefore.put(version, pg.createdDatabases().size()));
        context.getStore(NAMESPACE).put(context.getRequiredTestClass(), databasesBefore);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void afterAll(ExtensionContext context) {
        Map<PostgresVersion, Integer> databasesBefore =
                context.getStore(NAMESPACE).get(context.getRequiredTestClass(), Map.class);
        PostgresServers.started()
                .forEach(
                        (version, pg) -> {
                            List<String> all = pg.createdDatabases();
                            int before =
                                    databasesBefore == null
                                            ? 0
                                            : databasesBefore.getOrDefault(version, 0);
                            pg.dropSlotsIn(all.subList(before, all.size()), PATIENCE);
                        });
    }
}
