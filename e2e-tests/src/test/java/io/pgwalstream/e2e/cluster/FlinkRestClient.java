package io.pgwalstream.e2e.cluster;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * The JobManager's REST API, as far as the e2e tests need it. The same calls work on Flink 1.20 and
 * 2.x.
 */
public final class FlinkRestClient {

    /** Job states after which nothing changes any more. */
    public static final Set<String> TERMINAL_STATES = Set.of("FINISHED", "FAILED", "CANCELED");

    private final JsonHttp http;

    FlinkRestClient(URI base) {
        this.http = new JsonHttp(base);
    }

    public URI address() {
        return http.base();
    }

    /** {@code GET /overview}. */
    public ClusterOverview overview() {
        JsonNode overview = http.get("/overview");
        return new ClusterOverview(
                overview.path("taskmanagers").asInt(),
                overview.path("slots-total").asInt(),
                overview.path("slots-available").asInt(),
                overview.path("flink-version").asText());
    }

    /** The resource ids of the registered TaskManagers ({@code GET /taskmanagers}). */
    public Set<String> taskManagerIds() {
        Set<String> ids = new LinkedHashSet<>();
        http.get("/taskmanagers")
                .path("taskmanagers")
                .forEach(tm -> ids.add(tm.path("id").asText()));
        return ids;
    }

    // ---- jars -------------------------------------------------------------------------------

    /** Uploads a job jar ({@code POST /jars/upload}) and returns its id for {@link #runJar}. */
    public String uploadJar(Path jar) {
        JsonNode answer =
                http.postFile("/jars/upload", "jarfile", jar, "application/x-java-archive");
        String file = answer.path("filename").asText();
        if (!"success".equals(answer.path("status").asText()) || file.isEmpty()) {
            throw new RestException("Upload of " + jar + " failed: " + answer, 0, null);
        }
        return Path.of(file).getFileName().toString();
    }

    /** Runs an uploaded jar's main class ({@code POST /jars/:id/run}); returns the job id. */
    public String runJar(String jarId, JarRun run) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entryClass", run.entryClass());
        body.put("programArgsList", run.arguments());
        if (run.parallelism() != null) {
            body.put("parallelism", run.parallelism());
        }
        if (run.savepointPath() != null) {
            body.put("savepointPath", run.savepointPath());
            body.put("allowNonRestoredState", false);
        }
        return http.post("/jars/" + jarId + "/run", body).path("jobid").asText();
    }

    public void deleteJar(String jarId) {
        http.delete("/jars/" + jarId);
    }

    // ---- jobs -------------------------------------------------------------------------------

    /** Every job the JobManager knows, by id, with its state. */
    public Map<String, String> jobs() {
        Map<String, String> jobs = new LinkedHashMap<>();
        http.get("/jobs")
                .path("jobs")
                .forEach(j -> jobs.put(j.path("id").asText(), j.path("status").asText()));
        return jobs;
    }

    /** {@code GET /jobs/:id}: state, vertices with task counts per state, timestamps. */
    public JsonNode job(String jobId) {
        return http.get("/jobs/" + jobId);
    }

    public String jobState(String jobId) {
        return job(jobId).path("state").asText();
    }

    /** Cancels a job ({@code PATCH /jobs/:id?mode=cancel}) without waiting for it. */
    public void cancel(String jobId) {
        http.patch("/jobs/" + jobId + "?mode=cancel");
    }

    /** The root exception and its time line, for failure messages. */
    public String exceptions(String jobId) {
        try {
            JsonNode answer = http.get("/jobs/" + jobId + "/exceptions?maxExceptions=5");
            List<String> lines = new ArrayList<>();
            answer.path("exceptionHistory")
                    .path("entries")
                    .forEach(
                            e ->
                                    lines.add(
                                            e.path("exceptionName").asText()
                                                    + " at "
                                                    + e.path("taskName").asText("?")
                                                    + ": "
                                                    + firstLines(
                                                            e.path("stacktrace").asText(), 8)));
            return lines.isEmpty() ? "no exceptions" : String.join("\n", lines);
        } catch (RestException e) {
            return "(no exceptions: " + e.getMessage() + ")";
        }
    }

    /**
     * Waits until the job is in {@code state}. Fails at once if it reaches another terminal state,
     * with the job's exceptions in the message.
     */
    public void awaitState(String jobId, String state, Duration timeout) throws TimeoutException {
        String[] last = {"?"};
        Waiting.until(
                "job " + jobId + " to be " + state,
                timeout,
                () -> {
                    last[0] = jobState(jobId);
                    if (last[0].equals(state)) {
                        return true;
                    }
                    if (TERMINAL_STATES.contains(last[0])) {
                        throw new AssertionError(
                                "Job "
                                        + jobId
                                        + " is "
                                        + last[0]
                                        + ", expected "
                                        + state
                                        + ":\n"
                                        + exceptions(jobId));
                    }
                    return false;
                },
                () -> last[0]);
    }

    /** Waits until the job is RUNNING and every one of its tasks is running (or finished). */
    public void awaitAllTasksRunning(String jobId, Duration timeout) throws TimeoutException {
        JsonNode[] last = {null};
        Waiting.until(
                "all tasks of job " + jobId + " to run",
                timeout,
                () -> {
                    JsonNode job = job(jobId);
                    last[0] = job;
                    String state = job.path("state").asText();
                    if (TERMINAL_STATES.contains(state)) {
                        throw new AssertionError(
                                "Job "
                                        + jobId
                                        + " is "
                                        + state
                                        + ", expected it to run:\n"
                                        + exceptions(jobId));
                    }
                    if (!"RUNNING".equals(state)) {
                        return false;
                    }
                    for (JsonNode vertex : job.path("vertices")) {
                        int parallelism = vertex.path("parallelism").asInt();
                        JsonNode tasks = vertex.path("tasks");
                        int started =
                                tasks.path("RUNNING").asInt() + tasks.path("FINISHED").asInt();
                        if (started != parallelism) {
                            return false;
                        }
                    }
                    return true;
                },
                () -> last[0] == null ? "nothing" : last[0].path("vertices").toString());
    }

    /** The TaskManagers (resource ids) that run at least one RUNNING subtask of the job. */
    public Set<String> taskManagersRunning(String jobId) {
        Set<String> ids = new LinkedHashSet<>();
        for (JsonNode vertex : job(jobId).path("vertices")) {
            JsonNode details =
                    http.get("/jobs/" + jobId + "/vertices/" + vertex.path("id").asText());
            for (JsonNode subtask : details.path("subtasks")) {
                if ("RUNNING".equals(subtask.path("status").asText())) {
                    ids.add(subtask.path("taskmanager-id").asText());
                }
            }
        }
        ids.remove("");
        return ids;
    }

    // ---- checkpoints and savepoints ---------------------------------------------------------

    /** {@code GET /jobs/:id/checkpoints}: counts and the latest completed and restored ones. */
    public CheckpointStats checkpoints(String jobId) {
        JsonNode answer = http.get("/jobs/" + jobId + "/checkpoints");
        JsonNode counts = answer.path("counts");
        JsonNode latest = answer.path("latest");
        JsonNode completed = latest.path("completed");
        JsonNode restored = latest.path("restored");
        return new CheckpointStats(
                counts.path("completed").asLong(),
                counts.path("restored").asLong(),
                counts.path("failed").asLong(),
                completed.isObject() ? completed.path("id").asLong() : -1,
                restored.isObject() ? restored.path("id").asLong() : -1,
                restored.isObject() ? restored.path("external_path").asText() : null);
    }

    /** Waits until the job has completed checkpoints with ids above {@code checkpointId}. */
    public CheckpointStats awaitCheckpointAfter(String jobId, long checkpointId, Duration timeout)
            throws TimeoutException {
        CheckpointStats[] last = {null};
        return Waiting.until(
                "a checkpoint after #" + checkpointId + " of job " + jobId,
                timeout,
                () -> {
                    last[0] = checkpoints(jobId);
                    return last[0].latestCompletedId() > checkpointId
                            ? Optional.of(last[0])
                            : Optional.empty();
                },
                () -> String.valueOf(last[0]));
    }

    /**
     * Stop-with-savepoint ({@code POST /jobs/:id/stop}) and waits for the savepoint; returns its
     * location. With {@code drain}, sources end their input first (the job finishes instead of
     * stopping).
     */
    public String stopWithSavepoint(String jobId, Path directory, boolean drain, Duration timeout)
            throws TimeoutException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("targetDirectory", directory.toUri().toString());
        body.put("drain", drain);
        String trigger = http.post("/jobs/" + jobId + "/stop", body).path("request-id").asText();
        JsonNode[] last = {null};
        JsonNode operation =
                Waiting.until(
                        "the savepoint of job " + jobId,
                        timeout,
                        () -> {
                            last[0] = http.get("/jobs/" + jobId + "/savepoints/" + trigger);
                            return "COMPLETED".equals(last[0].path("status").path("id").asText())
                                    ? Optional.of(last[0].path("operation"))
                                    : Optional.empty();
                        },
                        () -> String.valueOf(last[0]));
        if (operation.hasNonNull("failure-cause")) {
            throw new AssertionError(
                    "Stop-with-savepoint of job "
                            + jobId
                            + " failed: "
                            + firstLines(operation.path("failure-cause").toString(), 20));
        }
        return operation.path("location").asText();
    }

    private static String firstLines(String text, int lines) {
        String[] all = text.split("\n", lines + 1);
        return String.join("\n", Arrays.asList(all).subList(0, Math.min(lines, all.length)));
    }

    /** What {@code GET /overview} says about the cluster. */
    public record ClusterOverview(
            int taskManagers, int slotsTotal, int slotsAvailable, String flinkVersion) {}

    /**
     * A job's checkpoint counters; ids are -1 where there is none. {@code restored} counts restores
     * from checkpoints and savepoints.
     */
    public record CheckpointStats(
            long completed,
            long restored,
            long failed,
            long latestCompletedId,
            long latestRestoredId,
            String latestRestoredPath) {}

    /**
     * A request to run an uploaded jar.
     *
     * @param parallelism null for the job's own choice
     * @param savepointPath null to start without state
     */
    public record JarRun(
            String entryClass, List<String> arguments, Integer parallelism, String savepointPath) {

        public JarRun {
            arguments = List.copyOf(arguments);
        }

        public static JarRun of(String entryClass, List<String> arguments) {
            return new JarRun(entryClass, arguments, null, null);
        }

        public JarRun fromSavepoint(String path) {
            return new JarRun(entryClass, arguments, parallelism, path);
        }
    }
}
