package io.pgwalstream.replication;

import javax.net.SocketFactory;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;

/**
 * The socket factory pgjdbc uses for replication connections (property {@code socketFactory}). Its
 * sockets coalesce a trickle: a walsender flushes every message of a small transaction on its own,
 * so a reader that keeps up gets one message per read — a read, a poll and a wake-up of the
 * consumer for every hundred bytes. After a read that found less than {@link #TRICKLE_BYTES}
 * waiting (and less than asked for), the next read first waits the linger, and then takes
 * everything that arrived meanwhile at once.
 *
 * <p>Never slower than the server: a read after the linger that finds the trickle threshold or more
 * does not linger again, and the kernel's receive buffer holds what arrives meanwhile. A write ends
 * the trickle, so a request and its response (a query, a keepalive reply) are never delayed.
 */
public final class ReadCoalescingSocketFactory extends SocketFactory {

    /** The pgjdbc connection property (ours, ignored by pgjdbc) holding the linger in µs. */
    static final String LINGER_MICROS_PROPERTY = "pgwalstream.readLingerMicros";

    /** A read that brings less than this (and less than asked for) is a trickle. */
    static final int TRICKLE_BYTES = 2048;

    private final long lingerNanos;

    /** Called by pgjdbc with the connection's properties. */
    public ReadCoalescingSocketFactory(Properties properties) {
        this(Long.parseLong(properties.getProperty(LINGER_MICROS_PROPERTY, "0")) * 1000);
    }

    ReadCoalescingSocketFactory(long lingerNanos) {
        this.lingerNanos = lingerNanos;
    }

    long lingerNanos() {
        return lingerNanos;
    }

    @Override
    public Socket createSocket() {
        return new CoalescingSocket(lingerNanos);
    }

    // pgjdbc creates unconnected sockets and connects them itself; these are for completeness.
    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
            throws IOException {
        return connected(
                new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(
            InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return connected(
                new InetSocketAddress(address, port),
                new InetSocketAddress(localAddress, localPort));
    }

    private Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
        Socket socket = createSocket();
        if (local != null) {
            socket.bind(local);
        }
        socket.connect(remote);
        return socket;
    }

    /** A plain socket whose streams share one trickle flag. */
    private static final class CoalescingSocket extends Socket {
        private final long lingerNanos;
        private volatile boolean trickle;
        private InputStream in;
        private OutputStream out;

        CoalescingSocket(long lingerNanos) {
            this.lingerNanos = lingerNanos;
        }

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                in = new CoalescingInput(super.getInputStream());
            }
            return in;
        }

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (out == null) {
                out = new TrickleEndingOutput(super.getOutputStream());
            }
            return out;
        }

        private final class CoalescingInput extends FilterInputStream {
            CoalescingInput(InputStream in) {
                super(in);
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (trickle && lingerNanos > 0) {
                    LockSupport.parkNanos(lingerNanos);
                }
                int n = super.read(b, off, len);
                trickle = n >= 0 && n < len && n < TRICKLE_BYTES;
                return n;
            }
        }

        private final class TrickleEndingOutput extends FilterOutputStream {
            TrickleEndingOutput(OutputStream out) {
                super(out);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                trickle = false;
                out.write(b, off, len);
            }

            @Override
            public void write(int b) throws IOException {
                trickle = false;
                out.write(b);
            }
        }
    }
}
