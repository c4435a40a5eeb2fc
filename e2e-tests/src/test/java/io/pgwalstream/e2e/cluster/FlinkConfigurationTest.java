package io.pgwalstream.e2e.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FlinkConfigurationTest {

    @TempDir Path dir;

    @Test
    void bindsEverythingToLoopbackOnTheGivenPorts() {
        Map<String, String> config = entries(ClusterSpec.defaults());

        assertThat(config)
                .containsEntry("rest.port", "18081")
                .containsEntry("jobmanager.rpc.port", "16123")
                .containsEntry("rest.bind-address", "127.0.0.1")
                .containsEntry("jobmanager.bind-host", "127.0.0.1")
                .containsEntry("taskmanager.bind-host", "127.0.0.1")
                .containsEntry("taskmanager.rpc.port", "0")
                .containsEntry("blob.server.port", "0");
    }

    @Test
    void keepsStateUnderTheClusterDirectory() {
        Map<String, String> config = entries(ClusterSpec.defaults());

        assertThat(config.get("execution.checkpointing.dir")).startsWith(dir.toUri().toString());
        assertThat(config.get("execution.checkpointing.savepoint-dir"))
                .startsWith(dir.toUri().toString());
        assertThat(config.get("io.tmp.dirs")).startsWith(dir.toString());
        assertThat(config).containsEntry("execution.checkpointing.interval", "1000ms");
    }

    @Test
    void theSpecShapesTheCluster() {
        ClusterSpec spec =
                ClusterSpec.defaults()
                        .withSlotsPerTaskManager(3)
                        .withCheckpointInterval(Duration.ZERO)
                        .withConfiguration("restart-strategy.type", "none");

        Map<String, String> config = entries(spec);

        assertThat(config)
                .containsEntry("taskmanager.numberOfTaskSlots", "3")
                .containsEntry("restart-strategy.type", "none")
                .doesNotContainKey("execution.checkpointing.interval");
    }

    @Test
    void writesYamlWithQuotedValuesWhereNeeded() throws Exception {
        ClusterLayout layout = ClusterLayout.create(dir);
        FlinkConfiguration.write(Map.of("a.b", "it's: here", "c", "1s"), layout);

        assertThat(Files.readAllLines(FlinkConfiguration.configFile(layout)))
                .contains("a.b: 'it''s: here'", "c: 1s");
        assertThat(layout.conf().resolve("log4j.properties")).exists();
    }

    @Test
    void quotesOnlyWhatYamlWouldMisread() {
        assertThat(FlinkConfiguration.scalar("127.0.0.1")).isEqualTo("127.0.0.1");
        assertThat(FlinkConfiguration.scalar("/tmp/a-b_c")).isEqualTo("/tmp/a-b_c");
        assertThat(FlinkConfiguration.scalar("file:///tmp/x")).isEqualTo("'file:///tmp/x'");
        assertThat(FlinkConfiguration.scalar("")).isEqualTo("''");
    }

    private Map<String, String> entries(ClusterSpec spec) {
        return FlinkConfiguration.entries(spec, new ClusterLayout(dir), 18081, 16123);
    }
}
