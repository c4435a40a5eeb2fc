package io.pgwalstream.protocol;

/** {@code 'E'}: closes the current stream block. It has no fields, so one instance serves all. */
public record StreamStop() implements PgOutputMessage {

    public static final byte TAG = 'E';

    public static final StreamStop INSTANCE = new StreamStop();

    @Override
    public byte tag() {
        return TAG;
    }
}
