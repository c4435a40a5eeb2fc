package io.pgwalstream.replication;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads of a trickle are coalesced; requests and full reads are never delayed. */
@Timeout(60)
class ReadCoalescingSocketFactoryTest {

    private static final int CHUNKS = 200;
    private static final int CHUNK_BYTES = 60;

    @Test
    void aTrickleIsReadInFewReads() throws Exception {
        ReadCoalescingSocketFactory factory = factory(Duration.ofMillis(20));
        try (ServerSocket server = listen();
                Socket client = connect(factory, server);
                Socket peer = server.accept()) {
            peer.setTcpNoDelay(true); // each write its own segment, as the walsender sends them
            // The peer sends like a walsender with small transactions: one flush per message.
            CompletableFuture<Void> sender =
                    CompletableFuture.runAsync(
                            () -> {
                                try (OutputStream out = peer.getOutputStream()) {
                                    for (int i = 0; i < CHUNKS; i++) {
                                        out.write(new byte[CHUNK_BYTES]);
                                        out.flush();
                                        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
                                    }
                                } catch (Exception e) {
                                    throw new RuntimeException(e);
                                }
                            });
            InputStream in = client.getInputStream();
            byte[] buffer = new byte[8192];
            int total = 0;
            int reads = 0;
            while (total < CHUNKS * CHUNK_BYTES) {
                int n = in.read(buffer, 0, buffer.length);
                assertThat(n).isPositive();
                total += n;
                reads++;
            }
            sender.get(30, TimeUnit.SECONDS);
            // Without coalescing a reader that keeps up takes about one chunk per read (200).
            assertThat(reads).as("reads for %d chunks", CHUNKS).isLessThanOrEqualTo(CHUNKS / 5);
        }
    }

    @Test
    void aWriteEndsTheTrickleSoAResponseIsNotDelayed() throws Exception {
        Duration linger = Duration.ofSeconds(5);
        ReadCoalescingSocketFactory factory = factory(linger);
        try (ServerSocket server = listen();
                Socket client = connect(factory, server);
                Socket peer = server.accept()) {
            CompletableFuture<Void> echo =
                    CompletableFuture.runAsync(
                            () -> {
                                try {
                                    InputStream in = peer.getInputStream();
                                    OutputStream out = peer.getOutputStream();
                                    for (int i = 0; i < 3; i++) {
                                        int b = in.read();
                                        out.write(b);
                                        out.flush();
                                    }
                                } catch (Exception e) {
                                    throw new RuntimeException(e);
                                }
                            });
            byte[] response = new byte[16];
            long started = System.nanoTime();
            for (int i = 0; i < 3; i++) {
                // Each response is a small read (a trickle); the next request must end it.
                client.getOutputStream().write(i);
                assertThat(client.getInputStream().read(response, 0, response.length)).isEqualTo(1);
            }
            echo.get(30, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(linger);
        }
    }

    @Test
    void readsThatFillTheBufferNeverWait() throws Exception {
        Duration linger = Duration.ofSeconds(5);
        ReadCoalescingSocketFactory factory = factory(linger);
        try (ServerSocket server = listen();
                Socket client = connect(factory, server);
                Socket peer = server.accept()) {
            byte[] data = new byte[64 * 1024];
            peer.getOutputStream().write(data);
            peer.getOutputStream().flush();
            InputStream in = client.getInputStream();
            byte[] small = new byte[1000];
            long started = System.nanoTime();
            int total = 0;
            while (total < data.length) {
                int n = in.read(small, 0, Math.min(small.length, data.length - total));
                total += n;
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(linger);
        }
    }

    @Test
    void theConnectingFactoryMethodsConnect() throws Exception {
        ReadCoalescingSocketFactory factory = factory(Duration.ofMillis(1));
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket server = listen();
                Socket byAddress = factory.createSocket(loopback, server.getLocalPort());
                Socket byName =
                        factory.createSocket(loopback.getHostAddress(), server.getLocalPort());
                Socket bound = factory.createSocket(loopback, server.getLocalPort(), loopback, 0)) {
            assertThat(List.of(byAddress, byName, bound)).allMatch(Socket::isConnected);
            assertThat(bound.getLocalAddress()).isEqualTo(loopback);
        }
    }

    @Test
    void pgjdbcConfiguresItThroughTheConnectionProperties() {
        Properties props = new Properties();
        props.setProperty(ReadCoalescingSocketFactory.LINGER_MICROS_PROPERTY, "1500");
        assertThat(new ReadCoalescingSocketFactory(props).lingerNanos()).isEqualTo(1_500_000);
        assertThat(new ReadCoalescingSocketFactory(new Properties()).lingerNanos()).isZero();
    }

    private static ReadCoalescingSocketFactory factory(Duration linger) {
        Properties props = new Properties();
        props.setProperty(
                ReadCoalescingSocketFactory.LINGER_MICROS_PROPERTY,
                Long.toString(linger.toNanos() / 1000));
        return new ReadCoalescingSocketFactory(props);
    }

    private static ServerSocket listen() throws Exception {
        return new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
    }

    private static Socket connect(ReadCoalescingSocketFactory factory, ServerSocket server)
            throws Exception {
        Socket socket = factory.createSocket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(server.getInetAddress(), server.getLocalPort()));
        return socket;
    }
}
