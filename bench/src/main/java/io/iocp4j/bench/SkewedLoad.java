package io.iocp4j.bench;

import io.iocp4j.Balancing;
import io.iocp4j.Client;
import io.iocp4j.Connection;
import io.iocp4j.Handler;
import io.iocp4j.Server;
import io.iocp4j.Transport;
import io.iocp4j.bench.run.Statistics;
import io.iocp4j.frame.Framing;
import org.HdrHistogram.Recorder;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * A skewed load on a server with several I/O threads, with the rebalancer off and on in alternating rounds of the
 * same run: heavy connections (a window of frames always in flight) and light ones (a ping every few
 * milliseconds), opened one at a time in an order that round-robin placement puts every heavy one on the first
 * port. Reports the echoes per second of all connections together and the round-trip latency of the light ones.
 * A heavy connection either keeps its window full (closed loop: it takes whatever CPU there is) or, with
 * {@code --heavy-rate}, sends that many frames a second (open loop, at most a window in flight): the load a real
 * client brings whatever the server's state, which one port may not keep up with and two can. With
 * {@code --work-micros}, the server's handler spins that long on each packet before echoing it: connections whose
 * packets cost the server work, not only bytes.
 *
 * <pre>
 * bin/iocp4j-bench skewed-load [--io-threads 2] [--heavy 4] [--heavy-rate 0] [--light 400] [--ping-ms 10]
 *                              [--window 16] [--work-micros 0] [--seconds 5] [--rounds 3]
 *                              [--transport auto|uring|nio2]
 * </pre>
 */
final class SkewedLoad {
    private static final Framing FRAMING = Framing.lengthPrefixed(4, 1 << 16);
    private static final Duration SETTLE = Duration.ofSeconds(2);

    private final int ioThreads;
    private final int heavy;
    private final int light;
    private final long pingNanos;
    private final int window;
    /** Frames a second per heavy connection; 0 keeps the window full. */
    private final int heavyRate;
    /** The server's work per packet, spinning. */
    private final long workNanos;
    private final Duration measure;
    private final int rounds;
    private final Transport transport;

    private record Result(double echoesPerSecond, double lightP50Micros, double lightP99Micros, long migrations,
                          String perPort) {
    }

    private SkewedLoad(Arguments arguments) {
        ioThreads = arguments.integer("io-threads", 2);
        heavy = arguments.integer("heavy", 4);
        light = arguments.integer("light", 400);
        pingNanos = TimeUnit.MILLISECONDS.toNanos(arguments.integer("ping-ms", 10));
        window = arguments.integer("window", 16);
        heavyRate = arguments.integer("heavy-rate", 0);
        workNanos = TimeUnit.MICROSECONDS.toNanos(arguments.integer("work-micros", 0));
        measure = Duration.ofSeconds(arguments.integer("seconds", 5));
        rounds = arguments.integer("rounds", 3);
        transport = Transport.valueOf(arguments.text("transport", "auto").toUpperCase(Locale.ROOT));
        arguments.requireAllUsed();
        if (ioThreads < 2 || heavy < 1 || light < 1 || window < 1) {
            throw new IllegalArgumentException("--io-threads must be at least 2, --heavy, --light and --window at "
                    + "least 1");
        }
    }

    static void main(Arguments arguments) throws Exception {
        new SkewedLoad(arguments).run();
    }

    private void run() throws Exception {
        System.out.printf("skewed load: %d I/O threads, %d heavy connections (%s, at most %d frames in flight), %d "
                + "light (a ping every %d ms), server work %d us per packet, %d s per measurement after %d s, %s%n",
                ioThreads, heavy, heavyRate == 0 ? "closed loop" : heavyRate + " frames/s each", window, light,
                TimeUnit.NANOSECONDS.toMillis(pingNanos), TimeUnit.NANOSECONDS.toMicros(workNanos), measure.toSeconds(), SETTLE.toSeconds(), transport);
        List<Result> off = new ArrayList<>();
        List<Result> on = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            for (boolean rebalancing : new boolean[]{false, true}) {
                Result result = measureOnce(rebalancing);
                (rebalancing ? on : off).add(result);
                System.out.printf("round %d  rebalancing %-3s  %,10.0f echoes/s  light p50 %7.0f us  p99 %7.0f us  "
                                + "migrations %d  per port %s%n", round, rebalancing ? "on" : "off",
                        result.echoesPerSecond, result.lightP50Micros, result.lightP99Micros, result.migrations,
                        result.perPort);
            }
        }
        report("echoes/s", off, on, Result::echoesPerSecond);
        report("light p50 us", off, on, Result::lightP50Micros);
        report("light p99 us", off, on, Result::lightP99Micros);
    }

    private static void report(String figure, List<Result> off, List<Result> on,
                               java.util.function.ToDoubleFunction<Result> value) {
        Statistics without = Statistics.of(off.stream().mapToDouble(value).toArray());
        Statistics with = Statistics.of(on.stream().mapToDouble(value).toArray());
        System.out.printf("%-13s off median %,10.0f (%,.0f-%,.0f)  on median %,10.0f (%,.0f-%,.0f)  on/off %.2f%n",
                figure, without.median(), without.min(), without.max(), with.median(), with.min(), with.max(),
                with.ratioTo(without));
    }

    private Result measureOnce(boolean rebalancing) throws Exception {
        LongAdder echoes = new LongAdder();
        Recorder lightLatency = new Recorder(3);
        AtomicBoolean running = new AtomicBoolean(true);
        Handler echo = new Handler() {
            @Override
            public void onPacket(Connection connection, ByteBuffer packet) {
                long until = System.nanoTime() + workNanos;
                while (workNanos > 0 && System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                connection.send(packet);
            }
        };
        Handler peer = new Handler() {
            @Override
            public void onPacket(Connection connection, ByteBuffer packet) {
                echoes.increment();
                if (connection.attachment() instanceof AtomicInteger inFlight) {
                    if (heavyRate > 0) {
                        inFlight.decrementAndGet();
                    } else if (running.get()) {
                        connection.send(packet);
                    }
                } else {
                    lightLatency.recordValue(Math.max(0, (System.nanoTime() - packet.getLong(packet.position())) / 1000));
                }
            }
        };
        Server server = Server.builder().bind("127.0.0.1", 0).transport(transport).ioThreads(ioThreads)
                .framing(FRAMING).handler(echo).balancing(Balancing.ROUND_ROBIN)
                .rebalanceInterval(rebalancing ? Duration.ofMillis(500) : Duration.ZERO).start();
        Client client = Client.builder().transport(transport).ioThreads(1).framing(FRAMING).handler(peer)
                .rebalanceInterval(Duration.ZERO).build();
        try {
            List<Connection> heavyLinks = new ArrayList<>();
            List<Connection> lightLinks = new ArrayList<>();
            for (int i = 0; i < heavy * ioThreads + light; i++) {
                Connection link = client.connect(server.localAddress()).get(10, TimeUnit.SECONDS);
                boolean isHeavy = i % ioThreads == 0 && heavyLinks.size() < heavy;
                if (isHeavy) {
                    link.attach(new AtomicInteger());
                }
                (isHeavy ? heavyLinks : lightLinks).add(link);
                awaitConnections(server, i + 1);
            }
            Thread pinger = Thread.ofPlatform().name("light-pinger").start(() -> ping(lightLinks, running));
            Thread pacer = null;
            if (heavyRate > 0) {
                pacer = Thread.ofPlatform().name("heavy-pacer").start(() -> pace(heavyLinks, running));
            } else {
                ByteBuffer frame = ByteBuffer.allocate(64);
                for (Connection link : heavyLinks) {
                    for (int i = 0; i < window; i++) {
                        link.send(frame.clear());
                    }
                }
            }
            Thread.sleep(SETTLE.toMillis());
            lightLatency.getIntervalHistogram();
            long before = echoes.sum();
            long start = System.nanoTime();
            Thread.sleep(measure.toMillis());
            double seconds = (System.nanoTime() - start) / 1e9;
            long counted = echoes.sum() - before;
            var histogram = lightLatency.getIntervalHistogram();
            running.set(false);
            pinger.join();
            if (pacer != null) {
                pacer.join();
            }
            return new Result(counted / seconds, histogram.getValueAtPercentile(50),
                    histogram.getValueAtPercentile(99), server.stats().migrations(),
                    server.stats().ports().stream().map(p -> p.connections() + "@" + p.load() / (1 << 20) + "M")
                            .toList().toString());
        } finally {
            running.set(false);
            client.shutdown(Duration.ofSeconds(2));
            server.shutdown(Duration.ofSeconds(2));
        }
    }

    private static void awaitConnections(Server server, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.connectionCount() < count && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        if (server.connectionCount() < count) {
            throw new IllegalStateException("the server accepted " + server.connectionCount() + " of " + count);
        }
    }

    /** Each heavy connection's frames at its rate, a millisecond's worth at a time, never more than a window out. */
    private void pace(List<Connection> links, AtomicBoolean running) {
        ByteBuffer frame = ByteBuffer.allocate(64);
        long start = System.nanoTime();
        long[] sent = new long[links.size()];
        while (running.get()) {
            LockSupport.parkNanos(1_000_000);
            long due = (System.nanoTime() - start) * heavyRate / 1_000_000_000L;
            for (int i = 0; i < links.size(); i++) {
                Connection link = links.get(i);
                AtomicInteger inFlight = (AtomicInteger) link.attachment();
                // Frames the window had no room for are not owed later: the rate is an offer, not a debt.
                while (sent[i] < due) {
                    sent[i]++;
                    if (inFlight.get() < window) {
                        inFlight.incrementAndGet();
                        link.send(frame.clear());
                    }
                }
            }
        }
    }

    /** Each light connection in turn, spread over the interval, carrying its send time. */
    private void ping(List<Connection> links, AtomicBoolean running) {
        ByteBuffer frame = ByteBuffer.allocate(16);
        long gap = pingNanos / links.size();
        long next = System.nanoTime();
        while (running.get()) {
            for (Connection link : links) {
                next += gap;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                link.send(frame.clear().putLong(0, System.nanoTime()));
            }
        }
    }
}
