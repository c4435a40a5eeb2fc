package io.pgwalstream.testing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on the loopback interface that injects network faults between a client and a server
 * on the same host: put it in front of PostgreSQL and point the connector at {@link #port()}.
 *
 * <p>Each accepted connection gets its own connection to the target and two forwarding threads, one
 * per direction. What they do is switched at runtime, for the current connections and the ones
 * accepted later:
 *
 * <ul>
 *   <li>{@link #forward()}: pass bytes on (the initial mode);
 *   <li>{@link #blackHole()}: a partition — nothing is read or passed on, nothing is closed; a
 *       chunk already read when the black hole starts is held. When forwarding resumes, a side that
 *       closed meanwhile closes the other side, as a healed network would tell it;
 *   <li>{@link #delay(Duration)}: every chunk waits this long before it is passed on.
 * </ul>
 *
 * <p>And two one-shot faults: {@link #reset()} aborts every current connection (SO_LINGER 0: both
 * peers get a TCP RST, not an orderly close), and {@link #cutAfter(long)} passes that many more
 * bytes from the server to a client and then aborts the connection carrying the last of them — a
 * cut in the middle of a protocol message.
 *
 * <p>Thread-safe. All threads are daemons named {@code fault-proxy-<port>-…}; {@link #close()}
 * stops accepting, aborts every connection and waits for the threads to end.
 */
public final class FaultProxy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FaultProxy.class);

    private static final int CHUNK = 16 << 10;
    private static final long NO_CUT = -1;

    private enum Kind {
        FORWARD,
        BLACK_HOLE,
        DELAY
    }

    /** What the forwarding threads do with the next chunk. */
    private record Mode(Kind kind, long delayNanos) {}

    private final int targetPort;
    private final ServerSocket listener;
    private final Thread acceptor;
    private final String name;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicLong bytesToClients = new AtomicLong();
    private final AtomicInteger cuts = new AtomicInteger();

    /** Guards {@link #mode} and {@link #cutBudget}; forwarding threads wait on it. */
    private final Object lock = new Object();

    private Mode mode = new Mode(Kind.FORWARD, 0);
    private long cutBudget = NO_CUT;
    private volatile boolean closed;

    /** Starts a proxy on a free loopback port in front of 127.0.0.1:{@code targetPort}. */
    public FaultProxy(int targetPort) {
        this.targetPort = targetPort;
        try {
            this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open a loopback port for the fault proxy", e);
        }
        this.name = "fault-proxy-" + listener.getLocalPort();
        this.acceptor = daemon(name + "-accept", this::acceptLoop);
        acceptor.start();
        LOG.info("{} forwards 127.0.0.1:{} to port {}", name, port(), targetPort);
    }

    /** The port clients connect to. */
    public int port() {
        return listener.getLocalPort();
    }

    /** Passes bytes on again, without delay. */
    public void forward() {
        setMode(new Mode(Kind.FORWARD, 0), "forwards");
    }

    /** Stops passing bytes on in both directions, keeping every connection open. */
    public void blackHole() {
        setMode(new Mode(Kind.BLACK_HOLE, 0), "black-holes");
    }

    /** Passes every chunk on after {@code perChunk}. */
    public void delay(Duration perChunk) {
        setMode(new Mode(Kind.DELAY, perChunk.toNanos()), "delays each chunk by " + perChunk);
    }

    /**
     * Aborts every current connection with a TCP RST to both peers; new connections are accepted as
     * before.
     *
     * @return how many connections were aborted
     */
    public int reset() {
        int n = 0;
        for (Link link : links) {
            if (link.abort()) {
                n++;
            }
        }
        LOG.info("{} reset {} connections", name, n);
        return n;
    }

    /**
     * Passes {@code bytes} more bytes from the server to the clients (whichever connections carry
     * them), then aborts the connection in which they end, with the rest of its chunk unsent. One
     * shot: the connections after it are forwarded again.
     */
    public void cutAfter(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must not be negative: " + bytes);
        }
        synchronized (lock) {
            cutBudget = bytes;
        }
        LOG.info("{} cuts the server-to-client stream after {} more bytes", name, bytes);
    }

    /** Connections accepted so far. */
    public int acceptedConnections() {
        return accepted.get();
    }

    /** Connections currently open. */
    public int openConnections() {
        return links.size();
    }

    /** Bytes passed from the server to clients so far. */
    public long bytesToClients() {
        return bytesToClients.get();
    }

    /** Connections aborted by {@link #cutAfter} so far. */
    public int cuts() {
        return cuts.get();
    }

    private void setMode(Mode next, String what) {
        synchronized (lock) {
            mode = next;
            lock.notifyAll();
        }
        LOG.info("{} {}", name, what);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("{} stopped accepting: {}", name, e.toString());
                }
                return;
            }
            int id = accepted.incrementAndGet();
            Socket server;
            try {
                server = connectToTarget();
            } catch (IOException e) {
                // The target is down: the client sees its connection refused, as an abort.
                LOG.info("{} cannot reach port {} for connection {}: {}", name, targetPort, id, e);
                abortQuietly(client);
                continue;
            }
            Link link = new Link(id, client, server);
            links.add(link);
            if (closed) {
                link.abort();
                return;
            }
            link.start();
        }
    }

    /**
     * Connects to the target. While nothing listens on its port, Linux may pick that very port as
     * the ephemeral source of the attempt and connect the socket to itself (TCP simultaneous open):
     * such a socket echoes, and would hold the port a restarting server wants. It counts as
     * refused.
     */
    private Socket connectToTarget() throws IOException {
        Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        if (server.getLocalPort() == targetPort) {
            abortQuietly(server);
            throw new ConnectException("connected to itself: nothing listens on " + targetPort);
        }
        return server;
    }

    /**
     * Blocks while the current mode holds chunks back: forever in a black hole (until the mode
     * changes or the link ends), {@code delayNanos} in a delay.
     *
     * @return false when the link ended meanwhile
     */
    private boolean awaitPassage(Link link, boolean delayApplies) throws InterruptedException {
        long delayStart = System.nanoTime();
        synchronized (lock) {
            while (!link.ended()) {
                if (mode.kind() == Kind.BLACK_HOLE) {
                    lock.wait(100);
                    delayStart = System.nanoTime();
                    continue;
                }
                if (!delayApplies || mode.kind() != Kind.DELAY) {
                    return true;
                }
                long left = mode.delayNanos() - (System.nanoTime() - delayStart);
                if (left <= 0) {
                    return true;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
        return false;
    }

    /**
     * How many of {@code n} bytes to the client may pass before a cut; {@code n} when no cut is due
     * in them.
     */
    private int takeCutBudget(int n) {
        synchronized (lock) {
            if (cutBudget == NO_CUT) {
                return n;
            }
            if (cutBudget >= n) {
                cutBudget -= n;
                return n;
            }
            int pass = (int) cutBudget;
            cutBudget = NO_CUT;
            return pass;
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            LOG.debug("{}: closing the listener failed", name, e);
        }
        for (Link link : links) {
            link.abort();
        }
        synchronized (lock) {
            lock.notifyAll();
        }
        join(acceptor);
        threads.forEach(FaultProxy::join);
        LOG.info("{} closed after {} connections", name, accepted.get());
    }

    private static void join(Thread t) {
        try {
            t.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            LOG.warn("{} did not end", t.getName());
        }
    }

    private Thread daemon(String threadName, Runnable body) {
        Thread t = new Thread(body, threadName);
        t.setDaemon(true);
        return t;
    }

    private static void abortQuietly(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (SocketException e) {
            // Already closed.
        }
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing left to release.
        }
    }

    /** One client connection and its connection to the server. */
    private final class Link {
        private final int id;
        private final Socket client;
        private final Socket server;
        private final AtomicInteger pumpsRunning = new AtomicInteger(2);
        private volatile boolean ended;

        Link(int id, Socket client, Socket server) {
            this.id = id;
            this.client = client;
            this.server = server;
        }

        void start() {
            String prefix = name + "-conn" + id;
            Thread up = daemon(prefix + "-client-to-server", () -> pump(client, server, false));
            Thread down = daemon(prefix + "-server-to-client", () -> pump(server, client, true));
            threads.add(up);
            threads.add(down);
            up.start();
            down.start();
        }

        boolean ended() {
            return ended || closed;
        }

        private void pump(Socket from, Socket to, boolean toClient) {
            byte[] chunk = new byte[CHUNK];
            boolean abortAtEnd = false;
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                // The link ends while waiting only when it is aborted or the proxy closes.
                abortAtEnd = true;
                while (awaitPassage(this, false)) {
                    int n = in.read(chunk);
                    if (n < 0) {
                        abortAtEnd = false; // an orderly close: close the other side alike
                        break;
                    }
                    // A black hole or delay that began while reading holds this chunk.
                    if (!awaitPassage(this, true)) {
                        break;
                    }
                    int pass = toClient ? takeCutBudget(n) : n;
                    // Counted before the write: a client that has the bytes sees them counted.
                    if (toClient) {
                        bytesToClients.addAndGet(pass);
                    }
                    out.write(chunk, 0, pass);
                    out.flush();
                    if (pass < n) {
                        cuts.incrementAndGet();
                        LOG.info(
                                "{} cut connection {} after {} of a {}-byte chunk",
                                name,
                                id,
                                pass,
                                n);
                        abortAtEnd = true;
                        break;
                    }
                }
            } catch (IOException e) {
                // The peer reset or the link was aborted: abort the other side alike.
                abortAtEnd = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                abortAtEnd = true;
            } finally {
                end(abortAtEnd);
            }
        }

        private void end(boolean abortive) {
            if (abortive) {
                abort();
            } else if (!ended) {
                ended = true;
                closeQuietly(client);
                closeQuietly(server);
            }
            if (pumpsRunning.decrementAndGet() == 0) {
                links.remove(this);
            }
            synchronized (lock) {
                lock.notifyAll();
            }
        }

        /** Closes both sockets with a RST. @return false if the link had ended already */
        boolean abort() {
            boolean wasOpen = !ended;
            ended = true;
            abortQuietly(client);
            abortQuietly(server);
            synchronized (lock) {
                lock.notifyAll();
            }
            return wasOpen;
        }

        private static void closeQuietly(Socket socket) {
            try {
                socket.close();
            } catch (IOException e) {
                // Nothing left to release.
            }
        }
    }
}
