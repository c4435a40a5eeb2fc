package io.pgwalstream.flink.source;

/** What a failure says, cause by cause, for assertions on error messages. */
final class Failures {

    private Failures() {}

    /** Each throwable of the cause chain ({@code toString()}: class and message), one per line. */
    static String messages(Throwable failure) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            sb.append(t).append('\n');
        }
        return sb.toString();
    }
}
