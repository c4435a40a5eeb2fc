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

/**
 * Flink's connector test suite on the source, for exactly-once and at-least-once: bounded single
 * and multiple splits, an idle reader, savepoint restore, scale up and down, metrics, TaskManager
 * failure. Each split the suite asks for is a new slot group (table, publication and slot), found
 * by the source's slot discovery.
 */
class PgWalStreamSourceTestSuiteITCase extends SourceTestSuiteBase<String> {

    @TestEnv MiniClusterTestEnvironment flink = new MiniClusterTestEnvironment();

    @TestSemantics
    CheckpointingMode[] semantics = {
        CheckpointingMode.EXACTLY_ONCE, CheckpointingMode.AT_LEAST_ONCE
    };

    @TestContext
    ExternalContextFactory<PgWalStreamTestContext> postgres =
            testName ->
                    new PgWalStreamTestContext(
                            PostgresServers.shared(PostgresVersion.DEFAULT), testName);
}
