package io.pgwalstream.testing.postgres;

import java.nio.file.Files;

/**
 * Starts a server of the given major version, prints {@code POSTMASTER <pid>} and waits for stdin
 * to close. {@link ServerLifecycleITCase} kills this JVM with SIGKILL to prove that the postmaster
 * does not outlive it.
 */
public final class ServerInChildJvm {

    private ServerInChildJvm() {}

    public static void main(String[] args) throws Exception {
        PostgresServer server =
                PostgresServers.shared(PostgresVersion.ofMajor(Integer.parseInt(args[0])));
        String pid = Files.readAllLines(server.dataDirectory().resolve("postmaster.pid")).get(0);
        System.out.println("POSTMASTER " + pid.trim());
        System.out.flush();
        while (System.in.read() >= 0) {
            // Wait until the parent closes our stdin or kills us.
        }
    }
}
