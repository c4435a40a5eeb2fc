package io.pgwalstream.e2e.cluster;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * The SQL Gateway's REST API (v1, which Flink 1.20 and 2.x both serve): sessions, statements and
 * their results.
 */
public final class SqlGatewayClient {

    private static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(120);

    private final JsonHttp http;

    SqlGatewayClient(URI base) {
        this.http = new JsonHttp(base);
    }

    public URI address() {
        return http.base();
    }

    /** {@code GET /v1/info}: product name and Flink version. */
    public JsonNode info() {
        return http.get("/v1/info");
    }

    /** Opens a session; close it to release it in the gateway. */
    public Session openSession(String name) {
        String handle =
                http.post("/v1/sessions", Map.of("sessionName", name))
                        .path("sessionHandle")
                        .asText();
        return new Session(handle);
    }

    /** A gateway session: statements run in order and share its catalog, jars and settings. */
    public final class Session implements AutoCloseable {

        private final String handle;

        private Session(String handle) {
            this.handle = handle;
        }

        /**
         * Runs one statement and returns its whole result. For {@code INSERT INTO} that is the id
         * of the submitted job (the statement does not wait for the job); for a query, every row,
         * so only use it for bounded queries.
         *
         * @throws SqlStatementException if the gateway reports an error
         */
        public StatementResult execute(String statement) throws TimeoutException {
            String operation =
                    http.post(
                                    "/v1/sessions/" + handle + "/statements",
                                    Map.of("statement", statement))
                            .path("operationHandle")
                            .asText();
            List<Row> rows = new ArrayList<>();
            String[] jobId = {null};
            String[] next = {"/v1/sessions/" + handle + "/operations/" + operation + "/result/0"};
            String[] lastType = {"?"};
            Waiting.until(
                    "the result of: " + statement,
                    STATEMENT_TIMEOUT,
                    () -> {
                        JsonNode page = fetch(next[0], statement);
                        lastType[0] = page.path("resultType").asText();
                        if (page.hasNonNull("jobID")) {
                            jobId[0] = page.path("jobID").asText();
                        }
                        for (JsonNode row : page.path("results").path("data")) {
                            List<Object> fields = new ArrayList<>();
                            row.path("fields")
                                    .forEach(
                                            f ->
                                                    fields.add(
                                                            JsonHttp.JSON.convertValue(
                                                                    f, Object.class)));
                            rows.add(new Row(row.path("kind").asText(), fields));
                        }
                        switch (lastType[0]) {
                            case "EOS":
                                return true;
                            case "PAYLOAD":
                                if (page.hasNonNull("nextResultUri")) {
                                    next[0] = page.path("nextResultUri").asText();
                                }
                                return false;
                            default: // NOT_READY: ask again for the same page
                                return false;
                        }
                    },
                    () -> lastType[0] + ", " + rows.size() + " rows so far");
            return new StatementResult(operation, Optional.ofNullable(jobId[0]), rows);
        }

        private JsonNode fetch(String uri, String statement) {
            try {
                return http.get(uri);
            } catch (RestException e) {
                if (e.status() >= 400) {
                    throw new SqlStatementException(statement, e.getMessage());
                }
                throw e;
            }
        }

        @Override
        public void close() {
            try {
                http.delete("/v1/sessions/" + handle);
            } catch (RestException e) {
                // The gateway may already be gone; nothing to release then.
            }
        }
    }

    /** One result row: its change kind ({@code INSERT}, ...) and its fields as JSON values. */
    public record Row(String kind, List<Object> fields) {}

    /**
     * What a statement returned.
     *
     * @param jobId the job a statement submitted ({@code INSERT}, queries), if any
     */
    public record StatementResult(String operationHandle, Optional<String> jobId, List<Row> rows) {

        /** The job id of an {@code INSERT}, which the gateway also returns as its only row. */
        public String insertJobId() {
            return jobId.orElseGet(
                    () -> {
                        if (rows.size() != 1 || rows.get(0).fields().size() != 1) {
                            throw new IllegalStateException("Not the result of an INSERT: " + rows);
                        }
                        return String.valueOf(rows.get(0).fields().get(0));
                    });
        }
    }

    /** The gateway rejected a statement or its execution failed. */
    public static final class SqlStatementException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SqlStatementException(String statement, String error) {
            super("SQL statement failed: " + statement + "\n" + error);
        }
    }
}
