package io.pgwalstream.tools;

import java.util.function.Function;

/**
 * The shared shape of a tool's {@code main}: parse the arguments (a bad one prints its message and
 * exits 2), run, and exit with the run's status (1 and the stack trace if it threw).
 */
public final class ToolMain {

    private ToolMain() {}

    /** What a tool does with its parsed options; returns the exit status. */
    @FunctionalInterface
    public interface Body<O> {
        int run(O options) throws Exception;
    }

    /**
     * @param parse turns the arguments into options, throwing IllegalArgumentException with a
     *     message for the user when they are wrong
     */
    public static <O> void exit(
            String what, String[] args, Function<String[], O> parse, Body<O> body) {
        O options;
        try {
            options = parse.apply(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        int status;
        try {
            status = body.run(options);
        } catch (Exception e) {
            System.err.println(what + " failed: " + e);
            e.printStackTrace();
            status = 1;
        }
        System.out.flush();
        System.exit(status);
    }
}
