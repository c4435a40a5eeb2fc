package io.pgwalstream.e2e.cluster;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The command line of a cluster JVM: the JDK running the tests, the JVM options Flink's scripts
 * would add, the launcher jar first on the classpath, then the Flink jars.
 */
final class JvmCommand {

    /**
     * Flink's {@code env.java.default-opts.all} for Java 17, which {@code bin/config.sh} would
     * pass. Without them, for example, job submission fails with an InaccessibleObjectException.
     */
    static final List<String> JAVA_17_OPTIONS =
            List.of(
                    "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
                    "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED",
                    "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang=ALL-UNNAMED",
                    "--add-opens=java.base/java.net=ALL-UNNAMED",
                    "--add-opens=java.base/java.io=ALL-UNNAMED",
                    "--add-opens=java.base/java.nio=ALL-UNNAMED",
                    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                    "--add-opens=java.base/java.text=ALL-UNNAMED",
                    "--add-opens=java.base/java.time=ALL-UNNAMED",
                    "--add-opens=java.base/java.util=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private JvmCommand() {}

    /**
     * @param jvmOptions heap and other options
     * @param logFile Flink's {@code log.file}, written through {@code log4j.properties} in {@code
     *     confDir}
     */
    static List<String> of(
            List<String> jvmOptions,
            Path confDir,
            Path logFile,
            List<Path> classpath,
            String mainClass,
            List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmOptions);
        // Two cores shared with other builds: one GC thread, and C1 only, which starts faster
        // and spends far less CPU compiling than C2 would on these short-lived JVMs.
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.addAll(JAVA_17_OPTIONS);
        command.add("-Dlog.file=" + logFile);
        command.add("-Dlog4j.configurationFile=" + confDir.resolve("log4j.properties").toUri());
        command.add("-cp");
        List<Path> entries = new ArrayList<>();
        entries.add(E2EPaths.launcherJar());
        entries.addAll(classpath);
        command.add(
                entries.stream()
                        .map(Path::toString)
                        .collect(Collectors.joining(File.pathSeparator)));
        command.add("io.pgwalstream.e2e.launcher.ParentWatchingLauncher");
        command.add(mainClass);
        command.addAll(arguments);
        return command;
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
