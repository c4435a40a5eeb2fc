package io.pgwalstream.protocol;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;

/** A client-to-server CopyData message; encodes itself into a caller's buffer. */
public sealed interface StandbyMessage permits StandbyStatusUpdate, HotStandbyFeedback {

    byte tag();

    /** Bytes written by {@link #encode(byte[], int)}, tag included. */
    int encodedLength();

    /**
     * Writes the message at {@code offset}.
     *
     * @return the number of bytes written, {@link #encodedLength()}
     * @throws IndexOutOfBoundsException if {@code dst} has no room
     */
    int encode(byte[] dst, int offset);

    /**
     * Writes the message at the buffer's position and advances it.
     *
     * @throws BufferOverflowException if fewer than {@link #encodedLength()} bytes remain
     */
    default void encode(ByteBuffer dst) {
        int length = encodedLength();
        if (dst.remaining() < length) {
            throw new BufferOverflowException();
        }
        if (dst.hasArray()) {
            encode(dst.array(), dst.arrayOffset() + dst.position());
            dst.position(dst.position() + length);
        } else {
            dst.put(toBytes());
        }
    }

    /** The encoded message in a new array. */
    default byte[] toBytes() {
        byte[] bytes = new byte[encodedLength()];
        encode(bytes, 0);
        return bytes;
    }
}
