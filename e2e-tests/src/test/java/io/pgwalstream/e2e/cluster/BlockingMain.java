package io.pgwalstream.e2e.cluster;

import java.util.concurrent.CountDownLatch;

/** A main class that never returns: stands in for a Flink entry point in launcher tests. */
public final class BlockingMain {

    private BlockingMain() {}

    public static void main(String[] args) throws InterruptedException {
        System.out.println("BLOCKING");
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
