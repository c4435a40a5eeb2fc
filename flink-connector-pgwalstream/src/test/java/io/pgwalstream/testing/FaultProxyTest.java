package io.pgwalstream.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fault proxy in front of an echo server: each fault does what it says, and only that. */
@Timeout(60)
class FaultProxyTest {

    private EchoServer echo;
    private FaultProxy proxy;

    @BeforeEach
    void start() throws IOException {
        echo = new EchoServer();
        proxy = new FaultProxy(echo.port());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    @Test
    void forwardsBothWays() throws Exception {
        try (Socket s = connect()) {
            send(s, "hello");
            assertThat(receive(s, 5)).isEqualTo("hello");
        }
        assertThat(proxy.acceptedConnections()).isEqualTo(1);
        assertThat(proxy.bytesToClients()).isEqualTo(5);
    }

    @Test
    void aBlackHoleHoldsBytesWithoutClosingAndForwardingReleasesThem() throws Exception {
        try (Socket s = connect()) {
            send(s, "a");
            assertThat(receive(s, 1)).isEqualTo("a");

            proxy.blackHole();
            send(s, "bc");
            s.setSoTimeout(500);
            assertThatThrownBy(() -> s.getInputStream().read())
                    .as("nothing comes back through the black hole, and nothing is closed")
                    .isInstanceOf(SocketTimeoutException.class);

            proxy.forward();
            s.setSoTimeout(10_000);
            assertThat(receive(s, 2)).isEqualTo("bc");
        }
    }

    @Test
    void aConnectionOpenedDuringABlackHoleIsAcceptedButSilent() throws Exception {
        proxy.blackHole();
        try (Socket s = connect()) {
            send(s, "x");
            s.setSoTimeout(500);
            assertThatThrownBy(() -> s.getInputStream().read())
                    .isInstanceOf(SocketTimeoutException.class);
            assertThat(proxy.acceptedConnections()).isEqualTo(1);
            proxy.forward();
            s.setSoTimeout(10_000);
            assertThat(receive(s, 1)).isEqualTo("x");
        }
    }

    @Test
    void aResetAbortsCurrentConnectionsWithARstAndNewOnesWork() throws Exception {
        try (Socket s = connect()) {
            send(s, "a");
            assertThat(receive(s, 1)).isEqualTo("a");

            assertThat(proxy.reset()).isEqualTo(1);
            // An RST, not an orderly end of stream (which would read -1).
            assertThatThrownBy(() -> s.getInputStream().read())
                    .isInstanceOf(SocketException.class)
                    .hasMessageContaining("reset");
        }
        Await.until(
                "the echo server sees its connection reset too",
                Duration.ofSeconds(10),
                () -> echo.resets() == 1);
        try (Socket s = connect()) {
            send(s, "b");
            assertThat(receive(s, 1)).isEqualTo("b");
        }
    }

    @Test
    void aCutPassesExactlyTheBudgetThenResetsThatConnectionOnce() throws Exception {
        try (Socket s = connect()) {
            send(s, "0123");
            assertThat(receive(s, 4)).isEqualTo("0123");

            proxy.cutAfter(5);
            send(s, "abcdefghij");
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            assertThatThrownBy(
                            () -> {
                                int b;
                                while ((b = in.read()) >= 0) {
                                    got.write(b);
                                }
                            })
                    .isInstanceOf(SocketException.class);
            assertThat(got.toString(StandardCharsets.US_ASCII)).isEqualTo("abcde");
        }
        assertThat(proxy.cuts()).isEqualTo(1);
        // One shot: the next connection is forwarded whole.
        try (Socket s = connect()) {
            send(s, "abcdefghij");
            assertThat(receive(s, 10)).isEqualTo("abcdefghij");
        }
        assertThat(proxy.cuts()).isEqualTo(1);
    }

    @Test
    void aDelayHoldsEveryChunkInBothDirections() throws Exception {
        try (Socket s = connect()) {
            proxy.delay(Duration.ofMillis(200));
            long start = System.nanoTime();
            send(s, "slow");
            assertThat(receive(s, 4)).isEqualTo("slow");
            // One chunk each way, each held 200 ms.
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(400));

            proxy.forward();
            send(s, "fast");
            assertThat(receive(s, 4)).isEqualTo("fast");
        }
    }

    @Test
    void aTargetThatIsDownRefusesTheClientByAnAbort() throws Exception {
        // A port held by a socket that does not listen: connections to it are refused, and no
        // other listener can take it meanwhile.
        try (Socket reserved = new Socket();
                FaultProxy down = proxyInFrontOf(reserved);
                Socket s = connect(down)) {
            int read;
            try {
                send(s, "x");
                read = s.getInputStream().read();
            } catch (SocketException reset) {
                read = -1;
            }
            assertThat(read).as("the connection ends without a byte").isEqualTo(-1);
        }
    }

    @Test
    void closeEndsEveryConnectionAndThread() throws Exception {
        Socket s = connect();
        send(s, "a");
        assertThat(receive(s, 1)).isEqualTo("a");
        proxy.blackHole();
        String prefix = "fault-proxy-" + proxy.port() + "-";

        proxy.close();

        assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketException.class);
        s.close();
        assertThat(proxy.openConnections()).isZero();
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().startsWith(prefix) && t.isAlive());
    }

    private Socket connect() throws IOException {
        return connect(proxy);
    }

    private static Socket connect(FaultProxy to) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), to.port());
        s.setSoTimeout(10_000);
        return s;
    }

    private static FaultProxy proxyInFrontOf(Socket reserved) throws IOException {
        reserved.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return new FaultProxy(reserved.getLocalPort());
    }

    private static void send(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String receive(Socket s, int bytes) throws IOException {
        byte[] buffer = new byte[bytes];
        InputStream in = s.getInputStream();
        int off = 0;
        while (off < bytes) {
            int n = in.read(buffer, off, bytes - off);
            if (n < 0) {
                throw new IOException(
                        "End of stream after "
                                + new String(
                                        Arrays.copyOf(buffer, off), StandardCharsets.US_ASCII));
            }
            off += n;
        }
        return new String(buffer, StandardCharsets.US_ASCII);
    }

    /** Echoes every byte back; counts the connections that ended with a reset. */
    private static final class EchoServer implements AutoCloseable {
        private final ServerSocket listener;
        private final AtomicInteger resets = new AtomicInteger();

        EchoServer() throws IOException {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(this::accept, "echo-server-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        int resets() {
            return resets.get();
        }

        private void accept() {
            while (true) {
                Socket s;
                try {
                    s = listener.accept();
                } catch (IOException e) {
                    return;
                }
                Thread t = new Thread(() -> echo(s), "echo-server-connection");
                t.setDaemon(true);
                t.start();
            }
        }

        private void echo(Socket s) {
            try (s) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                byte[] buffer = new byte[1024];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (SocketException e) {
                resets.incrementAndGet();
            } catch (IOException e) {
                // The test ends the connection.
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}
