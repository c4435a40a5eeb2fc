package io.pgwalstream.flink.source;

import io.pgwalstream.testing.postgres.PostgresServers;
import io.pgwalstream.testing.postgres.PostgresVersion;

import org.apache.flink.connector.testframe.environment.MiniClusterTestEnvironment;
import org.apache.flink.connector.testframe.external.ExternalContextFactory;
import org.apache.flink.connector.testframe.junit.annotations.TestContext;
import org.apache.flink.connector.testframe.junit.annotations.TestEnv;
import org.apache.flink.connector.testframe.junit.annotations.TestSemantics;
import org.apache.flink.connector.testframe.testsuites.SourceTestSuiteBase;
import org.apache.flink.core.execution.CheckpointingMode;

import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

/**
 * Flink's connector test suite on the source with an initial snapshot: bounded tests read the rows
 * with {@code snapshotOnly()}, unbounded ones with {@code startWithSnapshot()} (rows written before
 * the job are snapshot rows, later ones changes) — through savepoints, rescaling and a TaskManager
 * failure.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PgWalStreamSnapshotTestSuiteITCase extends SourceTestSuiteBase<String> {

    @TestEnv MiniClusterTestEnvironment flink = new MiniClusterTestEnvironment();

    @TestSemantics CheckpointingMode[] semantics = {CheckpointingMode.EXACTLY_ONCE};

    @TestContext
    ExternalContextFactory<PgWalStreamTestContext> postgres =
            testName ->
                    new PgWalStreamTestContext(
                            PostgresServers.shared(PostgresVersion.DEFAULT), testName, true);
}
