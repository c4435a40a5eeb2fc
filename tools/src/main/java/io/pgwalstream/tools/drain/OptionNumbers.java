package io.pgwalstream.tools.drain;

/** Numbers given to benchmark options: {@code _} may separate digits ({@code 1_000_000}). */
public final class OptionNumbers {

    private OptionNumbers() {}

    public static long positive(String option, String value) {
        long n = nonNegative(option, value);
        if (n == 0) {
            throw new IllegalArgumentException(option + " must be positive");
        }
        return n;
    }

    public static long nonNegative(String option, String value) {
        try {
            long n = Long.parseLong(value.replace("_", ""));
            if (n < 0) {
                throw new IllegalArgumentException(option + " must not be negative: " + value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number, got '" + value + "'");
        }
    }
}
