package io.pgwalstream.flink.source;

import io.pgwalstream.testing.Await;

import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongPredicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads one job's source metrics from an in-memory reporter: the reader's metrics of the source
 * named {@code sourceName}, the slot group metrics of {@code slot}, and ({@code snapshot.*}) the
 * enumerator's.
 */
record SourceMetrics(InMemoryReporter reporter, JobID job, String sourceName, String slot) {

    /** Waits up to a minute until the metric is reported with a value that satisfies the check. */
    void await(String name, LongPredicate condition) throws Exception {
        try {
            Await.until(
                    "metric " + name,
                    Duration.ofSeconds(60),
                    () -> read(name).stream().anyMatch(condition::test));
        } catch (AssertionError timedOut) {
            Optional<Long> last = read(name);
            throw new AssertionError(
                    "Metric "
                            + name
                            + (last.isEmpty() ? " was never reported" : " stayed at " + last.get())
                            + "; reported: "
                            + reporter.getMetricsByIdentifiers(job).keySet().stream()
                                    .filter(id -> id.contains(sourceName))
                                    .toList());
        }
    }

    long value(String name) {
        Optional<Long> value = read(name);
        assertThat(value).as("metric %s", name).isPresent();
        return value.get();
    }

    /** The metric's value, or {@code absent} while it is not reported. */
    long valueOr(String name, long absent) {
        return read(name).orElse(absent);
    }

    private Optional<Long> read(String name) {
        for (Map.Entry<String, Metric> e : reporter.getMetricsByIdentifiers(job).entrySet()) {
            String id = e.getKey();
            // The operator's scope, not the chained task's ("Source: x -> Sink: y").
            // Snapshot progress is the enumerator's, in the operator coordinator's scope.
            boolean ours =
                    (name.startsWith("snapshot.")
                                    ? id.contains("Source: " + sourceName)
                                            && id.contains(".coordinator.enumerator.")
                                    : id.contains(".Source: " + sourceName + "."))
                            && id.endsWith("." + name)
                            && (!id.contains(".slotGroup.")
                                    || id.contains(".slotGroup." + slot + "."));
            if (ours) {
                return Optional.of(numeric(e.getValue()));
            }
        }
        return Optional.empty();
    }

    private static long numeric(Metric metric) {
        if (metric instanceof Counter counter) {
            return counter.getCount();
        }
        Object value = ((Gauge<?>) metric).getValue();
        return ((Number) value).longValue();
    }
}
