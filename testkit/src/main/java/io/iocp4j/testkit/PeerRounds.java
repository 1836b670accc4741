package io.iocp4j.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** Numbered rounds shared out among peer threads: each thread takes the next number until every round is taken. */
public final class PeerRounds {
    /** Round {@code n}, with the random source of the thread that runs it. */
    @FunctionalInterface
    public interface Round {
        void run(int n, Random random) throws Exception;
    }

    private PeerRounds() {
    }

    /**
     * Runs rounds 0 to {@code rounds - 1} on {@code threads} threads and waits for them, at most {@code timeout} in
     * all; then fails with the first failure and how many rounds failed, if any did.
     */
    public static void run(int threads, int rounds, Duration timeout, Round round) throws InterruptedException {
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger next = new AtomicInteger();
        List<Thread> peers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            peers.add(Thread.ofPlatform().start(() -> {
                Random random = new Random(Thread.currentThread().threadId());
                int n;
                while ((n = next.getAndIncrement()) < rounds) {
                    try {
                        round.run(n, random);
                    } catch (Exception | AssertionError e) {
                        failures.add(new AssertionError("round " + n, e));
                    }
                }
            }));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread peer : peers) {
            peer.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " of " + rounds + " rounds failed; the first:",
                    failures.peek());
        }
        if (next.get() < rounds || peers.stream().anyMatch(Thread::isAlive)) {
            throw new AssertionError("rounds still running after " + timeout);
        }
    }
}
