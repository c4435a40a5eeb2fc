package io.pgwalstream.tools.demo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Changes the demo table a few times a second: inserts new orders, updates the status or amount of
 * existing ones and deletes some, each in its own transaction, so every kind of changelog row
 * shows.
 */
final class DemoWriter implements Runnable {

    private static final String[] CUSTOMERS = {"Ada", "Grace", "Linus", "Barbara", "Edsger"};
    private static final String[] STATUSES = {"paid", "shipped", "delivered"};

    private final Connection connection;
    private final Random random = new Random(42);
    private final List<Integer> live = new ArrayList<>();
    private final CountDownLatch stop = new CountDownLatch(1);
    private int nextId = 1;
    private volatile SQLException failure;

    DemoWriter(Connection connection) {
        this.connection = connection;
    }

    void stop() {
        stop.countDown();
    }

    SQLException failure() {
        return failure;
    }

    @Override
    public void run() {
        try {
            while (!stop.await(400, TimeUnit.MILLISECONDS)) {
                change();
            }
        } catch (SQLException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void change() throws SQLException {
        int dice = random.nextInt(10);
        if (live.size() < 3 || dice < 4) {
            int id = nextId++;
            execute(
                    "INSERT INTO pgwalstream_demo (id, customer, amount, status)"
                            + " VALUES (?, ?, ?, 'new')",
                    id,
                    CUSTOMERS[random.nextInt(CUSTOMERS.length)],
                    new java.math.BigDecimal(random.nextInt(100_000)).movePointLeft(2));
            live.add(id);
        } else if (dice < 8) {
            int id = live.get(random.nextInt(live.size()));
            execute(
                    "UPDATE pgwalstream_demo SET status = ? WHERE id = ?",
                    STATUSES[random.nextInt(STATUSES.length)],
                    id);
        } else {
            int id = live.remove(random.nextInt(live.size()));
            execute("DELETE FROM pgwalstream_demo WHERE id = ?", id);
        }
    }

    private void execute(String sql, Object... values) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                s.setObject(i + 1, values[i]);
            }
            s.executeUpdate();
        }
    }
}
