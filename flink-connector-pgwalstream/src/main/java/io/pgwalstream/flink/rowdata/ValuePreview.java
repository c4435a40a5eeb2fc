package io.pgwalstream.flink.rowdata;

import java.nio.charset.StandardCharsets;

/** Short, safe renderings of column values for error messages and logs. */
final class ValuePreview {

    static final int MAX_BYTES = 64;

    private ValuePreview() {}

    /** A text value in quotes (first {@value #MAX_BYTES} bytes) or a binary value in hex. */
    static String of(byte[] b, int off, int len, boolean binary) {
        if (b == null || len < 0) {
            return "(none)";
        }
        int shown = Math.min(len, binary ? MAX_BYTES / 2 : MAX_BYTES);
        StringBuilder sb = new StringBuilder();
        if (binary) {
            sb.append("\\x");
            for (int i = 0; i < shown; i++) {
                sb.append(Character.forDigit((b[off + i] >> 4) & 0xF, 16))
                        .append(Character.forDigit(b[off + i] & 0xF, 16));
            }
        } else {
            String text = new String(b, off, shown, StandardCharsets.UTF_8);
            if (shown < len && !text.isEmpty() && text.charAt(text.length() - 1) == '\uFFFD') {
                text = text.substring(0, text.length() - 1); // cut inside a multi-byte character
            }
            sb.append('\'');
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                sb.append(c < 0x20 ? '?' : c);
            }
            sb.append('\'');
        }
        if (shown < len) {
            sb.append("… (").append(len).append(" bytes)");
        }
        return sb.toString();
    }
}
