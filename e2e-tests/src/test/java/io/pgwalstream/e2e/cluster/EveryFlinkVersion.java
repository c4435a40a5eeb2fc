package io.pgwalstream.e2e.cluster;

import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the test method once per selected Flink version ({@link FlinkDistribution#selected()}: both
 * supported versions, or those named by {@code -Dpgwalstream.e2e.flink.versions}), displayed as
 * {@code Flink 2.3.0}. The method may take that version's {@link FlinkCluster} (shared, see {@link
 * FlinkClusters}) and its {@link FlinkDistribution} as parameters.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@TestTemplate
@ExtendWith(EveryFlinkVersionExtension.class)
public @interface EveryFlinkVersion {}
