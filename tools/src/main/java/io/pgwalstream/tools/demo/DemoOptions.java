package io.pgwalstream.tools.demo;

import java.net.URI;
import java.util.List;

/**
 * Command line of {@link Demo}.
 *
 * @param seconds how long to stream; 0 streams until Ctrl-C
 * @param jdbcUrl an existing server's {@code jdbc:postgresql://host:port/database}, or null to
 *     start PostgreSQL 17 through the test harness
 * @param user role on that server (needs REPLICATION and CREATE on the database)
 * @param password its password, or null
 * @param check whether to fail unless every change kind was printed (for CI)
 */
record DemoOptions(int seconds, String jdbcUrl, String user, String password, boolean check) {

    static final String USAGE =
            String.join(
                    "\n",
                    "Usage: tools/demo [--seconds N] [--check] [--url JDBC_URL --user U"
                            + " [--password P]]",
                    "  Streams a demo table's changes through Flink SQL ('connector' ="
                            + " 'pg-walstream')",
                    "  and prints the changelog rows (+I, -U/+U, -D) while a writer changes the"
                            + " table.",
                    "",
                    "  --seconds N   stop after N seconds (default: run until Ctrl-C)",
                    "  --check       exit 1 unless inserts, updates and deletes were all printed",
                    "  --url U       use an existing server instead of starting one, e.g.",
                    "                jdbc:postgresql://localhost:5432/shop (needs wal_level ="
                            + " logical);",
                    "                creates table pgwalstream_demo, its publication and slot,"
                            + " and drops them",
                    "  --user U      role with REPLICATION and CREATE on the database (default"
                            + " postgres)",
                    "  --password P  its password");

    static DemoOptions parse(String... args) {
        int seconds = 0;
        String url = null;
        String user = "postgres";
        String password = null;
        boolean check = false;
        List<String> list = List.of(args);
        for (int i = 0; i < list.size(); i++) {
            String arg = list.get(i);
            if (arg.equals("--check")) {
                check = true;
                continue;
            }
            if (arg.equals("--help") || arg.equals("-h")) {
                throw new IllegalArgumentException(USAGE);
            }
            if (i + 1 >= list.size()) {
                throw new IllegalArgumentException("Missing value for " + arg + "\n\n" + USAGE);
            }
            String value = list.get(++i);
            switch (arg) {
                case "--seconds":
                    try {
                        seconds = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(
                                "--seconds needs a whole number, got '" + value + "'");
                    }
                    if (seconds < 0) {
                        throw new IllegalArgumentException("--seconds must not be negative");
                    }
                    break;
                case "--url":
                    url = value;
                    break;
                case "--user":
                    user = value;
                    break;
                case "--password":
                    password = value;
                    break;
                default:
                    throw new IllegalArgumentException("Unknown option " + arg + "\n\n" + USAGE);
            }
        }
        if (url != null) {
            server(url); // fail early on a malformed URL
        }
        return new DemoOptions(seconds, url, user, password, check);
    }

    /** Host, port and database of a {@code jdbc:postgresql://host[:port]/database} URL. */
    static URI server(String jdbcUrl) {
        String prefix = "jdbc:postgresql://";
        if (!jdbcUrl.startsWith(prefix)) {
            throw new IllegalArgumentException(
                    "--url must look like jdbc:postgresql://host:port/database, got '"
                            + jdbcUrl
                            + "'");
        }
        URI uri = URI.create("postgresql://" + jdbcUrl.substring(prefix.length()));
        if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
            throw new IllegalArgumentException(
                    "--url needs a host and a database: jdbc:postgresql://host:port/database");
        }
        return uri;
    }
}
