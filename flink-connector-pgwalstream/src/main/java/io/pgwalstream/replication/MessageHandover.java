package io.pgwalstream.replication;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded hand-over between the I/O thread (one producer) and the consumer. It is bounded by
 * message count and by bytes; a single message larger than the byte budget is still admitted when
 * the queue is empty, so nothing can get stuck.
 *
 * <p>The producer never blocks in {@link #add} or {@link #addAll}, which tells it whether there is
 * room for more; when there is none it waits in {@link #awaitRoom} with a deadline so it can keep
 * the connection alive.
 */
final class MessageHandover {

    private final int maxMessages;
    private final long maxBytes;
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition roomOrWakeUp = lock.newCondition();
    private int messages;
    private long bytes;
    private boolean producerWakeUp;
    private RuntimeException failure;

    MessageHandover(int maxMessages, long maxBytes) {
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
    }

    private boolean roomLocked() {
        return messages == 0 || (messages < maxMessages && bytes < maxBytes);
    }

    /** Adds a message; returns whether there is room for another one. */
    boolean add(byte[] message) {
        return addAll(List.of(message));
    }

    /**
     * Adds messages in order with one wake-up of the consumer; returns whether there is room for
     * more. The batch is admitted whole: the producer sizes it with {@link #freeMessages()} and
     * {@link #freeBytes()} to stay within the bounds.
     */
    boolean addAll(List<byte[]> batch) {
        lock.lock();
        try {
            boolean wasEmpty = messages == 0;
            for (byte[] message : batch) {
                queue.addLast(message);
                messages++;
                bytes += message.length;
            }
            if (wasEmpty && messages > 0) {
                notEmpty.signal();
            }
            return roomLocked();
        } finally {
            lock.unlock();
        }
    }

    void addSessionStart(SessionStart start) {
        lock.lock();
        try {
            queue.addLast(start);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /** After this, the consumer gets {@code failure} once the queue is drained. */
    void fail(RuntimeException failure) {
        lock.lock();
        try {
            if (this.failure == null) {
                this.failure = failure;
            }
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the producer out of {@link #awaitRoom} (e.g. a new flush LSN to send). */
    void wakeProducer() {
        lock.lock();
        try {
            producerWakeUp = true;
            roomOrWakeUp.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until there is room, a wake-up, or the deadline. Returns whether there is room. */
    boolean awaitRoom(long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            while (!producerWakeUp && !roomLocked()) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                roomOrWakeUp.awaitNanos(left);
            }
            producerWakeUp = false;
            return roomLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until {@link #wakeProducer()} or the deadline, whatever the queue holds. */
    void awaitWakeUp(long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            while (!producerWakeUp) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                roomOrWakeUp.awaitNanos(left);
            }
            producerWakeUp = false;
        } finally {
            lock.unlock();
        }
    }

    int poll(MessageSink sink, int max, long timeout, TimeUnit unit) throws InterruptedException {
        Object[] batch;
        int taken;
        lock.lock();
        try {
            long left = unit.toNanos(timeout);
            while (queue.isEmpty() && failure == null && left > 0) {
                left = notEmpty.awaitNanos(left);
            }
            if (queue.isEmpty()) {
                if (failure != null) {
                    throw failure;
                }
                return 0;
            }
            taken = Math.min(max, queue.size());
            batch = new Object[taken];
            long takenBytes = 0;
            int takenMessages = 0;
            for (int i = 0; i < taken; i++) {
                Object item = queue.pollFirst();
                batch[i] = item;
                if (item instanceof byte[] message) {
                    takenBytes += message.length;
                    takenMessages++;
                }
            }
            messages -= takenMessages;
            bytes -= takenBytes;
            roomOrWakeUp.signal();
        } finally {
            lock.unlock();
        }
        // The sink runs outside the lock: the I/O thread keeps filling the queue meanwhile.
        int handed = 0;
        for (Object item : batch) {
            if (item instanceof byte[] message) {
                sink.onMessage(message);
                handed++;
            } else {
                sink.onSessionStart((SessionStart) item);
            }
        }
        return handed;
    }

    /** How many more messages fit; only the producer adds, so this only grows until it adds. */
    int freeMessages() {
        lock.lock();
        try {
            return Math.max(0, maxMessages - messages);
        } finally {
            lock.unlock();
        }
    }

    /** How many more bytes fit; see {@link #freeMessages()}. */
    long freeBytes() {
        lock.lock();
        try {
            return Math.max(0, maxBytes - bytes);
        } finally {
            lock.unlock();
        }
    }

    int bufferedMessages() {
        lock.lock();
        try {
            return messages;
        } finally {
            lock.unlock();
        }
    }

    long bufferedBytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }
}
