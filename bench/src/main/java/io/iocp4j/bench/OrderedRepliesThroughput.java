package io.iocp4j.bench;

import io.iocp4j.Client;
import io.iocp4j.Connection;
import io.iocp4j.Handler;
import io.iocp4j.Server;
import io.iocp4j.Transport;
import io.iocp4j.bench.run.Statistics;
import io.iocp4j.frame.Framing;
import io.iocp4j.job.Ordering;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One connection's throughput with handlers on the job pool in {@link Ordering#ORDERED_REPLIES}, for each worker
 * count asked for, measured in alternating rounds of the same run. The handler spends a fixed time per packet,
 * spinning (work that needs a CPU) or parked (work that waits, as on a database); the client keeps a window of
 * numbered frames in flight on its single connection and checks that every reply comes back in order.
 *
 * <pre>
 * bin/iocp4j-bench ordered-replies [--workers 1,4] [--work-micros 50] [--work spin|park] [--window 64]
 *                                  [--seconds 5] [--rounds 3] [--transport auto|uring|nio2]
 * </pre>
 */
final class OrderedRepliesThroughput {
    private static final Framing FRAMING = Framing.lengthPrefixed(4, 1 << 16);

    private final List<Integer> workerCounts;
    private final long workNanos;
    private final boolean spin;
    private final int window;
    private final Duration measure;
    private final int rounds;
    private final Transport transport;

    private OrderedRepliesThroughput(Arguments arguments) {
        workerCounts = arguments.intList("workers", "1,4");
        workNanos = TimeUnit.MICROSECONDS.toNanos(arguments.integer("work-micros", 50));
        spin = switch (arguments.text("work", "spin")) {
            case "spin" -> true;
            case "park" -> false;
            default -> throw new IllegalArgumentException("--work must be spin or park");
        };
        window = arguments.integer("window", 64);
        measure = Duration.ofSeconds(arguments.integer("seconds", 5));
        rounds = arguments.integer("rounds", 3);
        transport = Transport.valueOf(arguments.text("transport", "auto").toUpperCase(Locale.ROOT));
        arguments.requireAllUsed();
    }

    static void main(Arguments arguments) throws Exception {
        new OrderedRepliesThroughput(arguments).run();
    }

    private void run() throws Exception {
        System.out.printf("ordered replies, one connection: handler %s %d us per packet, %d frames in flight, %d s per"
                + " measurement, %s%n", spin ? "spins" : "parks", workNanos / 1000, window, measure.toSeconds(),
                transport);
        List<List<Result>> byWorkers = new ArrayList<>();
        workerCounts.forEach(w -> byWorkers.add(new ArrayList<>()));
        for (int round = 1; round <= rounds; round++) {
            for (int i = 0; i < workerCounts.size(); i++) {
                Result result = measureOnce(workerCounts.get(i));
                byWorkers.get(i).add(result);
                System.out.printf("round %d  workers %d  %,9.0f replies/s  handler %5.1f us  overlap %d  %s%n", round,
                        workerCounts.get(i), result.repliesPerSecond, result.handlerMicros, result.maxOverlap,
                        result.transport);
            }
        }
        double base = median(byWorkers.getFirst());
        for (int i = 0; i < workerCounts.size(); i++) {
            double median = median(byWorkers.get(i));
            System.out.printf("median  workers %d  %,9.0f replies/s  %.2fx of %d worker%s%n", workerCounts.get(i),
                    median, median / base, workerCounts.getFirst(), workerCounts.getFirst() == 1 ? "" : "s");
        }
    }

    private static double median(List<Result> results) {
        return Statistics.of(results.stream().mapToDouble(Result::repliesPerSecond).toArray()).median();
    }

    private Result measureOnce(int workers) throws Exception {
        WorkingHandler serverHandler = new WorkingHandler(workNanos, spin);
        Server server = Server.builder()
                .bind("127.0.0.1", 0)
                .transport(transport)
                .ioThreads(1)
                .framing(FRAMING)
                .workers(workers)
                .ordering(Ordering.ORDERED_REPLIES)
                .handler(serverHandler)
                .start();
        WindowedSender sender = new WindowedSender();
        try (Client client = Client.builder().transport(transport).ioThreads(1).framing(FRAMING)
                .handler(sender).build()) {
            Connection connection = client.connect(server.localAddress()).get(10, TimeUnit.SECONDS);
            sender.start(connection, window);
            Thread.sleep(1000);
            long repliesBefore = sender.replies.get();
            long handlerNanosBefore = serverHandler.busyNanos.get();
            long callsBefore = serverHandler.calls.get();
            serverHandler.maxOverlap.set(0);
            long start = System.nanoTime();
            Thread.sleep(measure.toMillis());
            long elapsed = System.nanoTime() - start;
            long replies = sender.replies.get() - repliesBefore;
            long calls = serverHandler.calls.get() - callsBefore;
            double handlerMicros = (serverHandler.busyNanos.get() - handlerNanosBefore) / 1000.0 / Math.max(1, calls);
            sender.stop();
            if (sender.outOfOrder.get() != 0) {
                throw new IllegalStateException(sender.outOfOrder.get() + " replies came back out of order");
            }
            return new Result(replies * 1e9 / elapsed, handlerMicros, serverHandler.maxOverlap.get(),
                    server.transport());
        } finally {
            server.shutdown(Duration.ofSeconds(5));
        }
    }

    private record Result(double repliesPerSecond, double handlerMicros, int maxOverlap, String transport) {
    }

    /** The server's handler: spends its time, then answers with the frame's own number. */
    private static final class WorkingHandler implements Handler {
        final AtomicLong busyNanos = new AtomicLong();
        final AtomicLong calls = new AtomicLong();
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger maxOverlap = new AtomicInteger();
        private final long workNanos;
        private final boolean spin;

        WorkingHandler(long workNanos, boolean spin) {
            this.workNanos = workNanos;
            this.spin = spin;
        }

        @Override
        public void onPacket(Connection connection, ByteBuffer packet) {
            long start = System.nanoTime();
            maxOverlap.accumulateAndGet(running.incrementAndGet(), Math::max);
            if (spin) {
                while (System.nanoTime() - start < workNanos) {
                    Thread.onSpinWait();
                }
            } else {
                LockSupport.parkNanos(workNanos);
            }
            running.decrementAndGet();
            connection.send(packet);
            busyNanos.addAndGet(System.nanoTime() - start);
            calls.incrementAndGet();
        }
    }

    /** The client's handler: keeps a window of numbered frames in flight and checks the replies' order. */
    private static final class WindowedSender implements Handler {
        final AtomicLong replies = new AtomicLong();
        final AtomicLong outOfOrder = new AtomicLong();
        private volatile boolean sending;
        private long nextToSend;
        private long nextExpected;

        void start(Connection connection, int window) {
            sending = true;
            // The first frames go from this thread; the rest from the I/O thread as replies come, one per reply.
            synchronized (this) {
                for (int i = 0; i < window; i++) {
                    sendNext(connection);
                }
            }
        }

        void stop() {
            sending = false;
        }

        @Override
        public void onPacket(Connection connection, ByteBuffer packet) {
            synchronized (this) {
                if (packet.getLong(packet.position()) != nextExpected) {
                    outOfOrder.incrementAndGet();
                }
                nextExpected++;
                replies.incrementAndGet();
                if (sending) {
                    sendNext(connection);
                }
            }
        }

        private void sendNext(Connection connection) {
            connection.send(ByteBuffer.allocate(Long.BYTES).putLong(0, nextToSend++));
        }
    }
}
