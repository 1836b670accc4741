package io.iocp4j.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The load generator: one thread, one selector, plain non-blocking JDK sockets, driving any echo server the same way.
 * Modes: ping-pong and pipeline (a closed loop of {@code depth} messages in flight per connection; ping-pong is depth
 * 1), and idle (open the connections, echo one byte on each so the server surely holds them, then stay silent until
 * told to stop). It prints one {@code RESULT key=value ...} line; the runner reads it.
 */
public final class LoadGenerator {
    private static final int SCRATCH = 256 * 1024;
    private static final int CONNECT_BATCH = 500;

    public enum Mode { PING_PONG, PIPELINE, IDLE }

    /** What to generate; durations in milliseconds. */
    public record Settings(int port, Mode mode, int connections, int size, int depth, long warmupMillis,
                           long measureMillis, long holdMillis, long serverPid) {
        public Settings {
            if (connections < 1 || size < 1 || depth < 1) {
                throw new IllegalArgumentException("connections, size and depth must be at least 1");
            }
            if (mode == Mode.PING_PONG && depth != 1) {
                throw new IllegalArgumentException("ping-pong has one message in flight; use pipeline for more");
            }
        }
    }

    private final Settings settings;
    private final Selector selector;
    private final List<Flow> flows = new ArrayList<>();
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(SCRATCH);
    private final LatencyRecorder latencies = new LatencyRecorder(0);
    private boolean sending = true;
    private boolean measuring;
    private long completed;

    private LoadGenerator(Settings settings) throws IOException {
        this.settings = settings;
        this.selector = Selector.open();
    }

    public static void run(Settings settings) throws Exception {
        LoadGenerator generator = new LoadGenerator(settings);
        try {
            System.out.println(generator.settings.mode() == Mode.IDLE ? generator.idle() : generator.loaded());
        } finally {
            generator.closeAll();
        }
    }

    private String loaded() throws IOException {
        open(settings.connections());
        CpuClock clock = new CpuClock(settings.serverPid());
        long now = System.nanoTime();
        for (Flow flow : flows) {
            for (int i = 0; i < settings.depth(); i++) {
                flow.queue(now);
            }
        }
        spin(now + TimeUnit.MILLISECONDS.toNanos(settings.warmupMillis()));
        // Sends on a connection are due as often as one round trip allows, shared among its messages in flight.
        latencies.setExpectedInterval(latencies.count() == 0 ? 0 : Math.max(1, latencies.measured(50) / settings.depth()));
        latencies.reset();
        measuring = true;
        completed = 0;
        CpuClock.Sample before = clock.sample();
        spin(before.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.measureMillis()));
        CpuClock.Sample after = clock.sample();
        measuring = false;
        long messages = completed;
        drain();
        double seconds = (after.nanoTime() - before.nanoTime()) / 1e9;
        double[] cpu = CpuClock.percentages(before, after);
        return String.format(Locale.ROOT, "RESULT mode=%s connections=%d size=%d depth=%d messages=%d seconds=%.3f"
                        + " msgsPerSec=%.1f mbPerSec=%.2f p50us=%.1f p99us=%.1f p999us=%.1f measuredP99us=%.1f"
                        + " maxus=%.1f generatorCpu=%.1f serverCpu=%.1f foreignCpu=%.1f softirqCpu=%.1f",
                settings.mode(), settings.connections(), settings.size(), settings.depth(), messages, seconds,
                messages / seconds, messages * (double) settings.size() / seconds / 1e6,
                latencies.corrected(50) / 1e3, latencies.corrected(99) / 1e3, latencies.corrected(99.9) / 1e3,
                latencies.measured(99) / 1e3, latencies.measured(100) / 1e3, cpu[0], cpu[1], cpu[2], cpu[3]);
    }

    private String idle() throws IOException {
        long started = System.nanoTime();
        open(settings.connections());
        double openSeconds = (System.nanoTime() - started) / 1e9;
        System.out.println("OPEN " + flows.size());
        System.out.flush();
        awaitLine(settings.holdMillis());
        return String.format(Locale.ROOT, "RESULT mode=IDLE connections=%d openSeconds=%.2f", flows.size(),
                openSeconds);
    }

    /**
     * Opens connections in batches, each connection echoing one byte before the next batch starts, so that the
     * server has accepted every one and no more than a batch waits in its accept queue.
     */
    private void open(int count) throws IOException {
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", settings.port());
        ByteBuffer pattern = Flow.pattern(Math.max(settings.size() * settings.depth(), 64 * 1024));
        while (flows.size() < count) {
            List<Flow> batch = new ArrayList<>();
            for (int i = 0; i < CONNECT_BATCH && flows.size() + batch.size() < count; i++) {
                SocketChannel channel = SocketChannel.open(server);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.configureBlocking(false);
                Flow flow = new Flow(channel, settings.mode() == Mode.IDLE ? 1 : settings.size(),
                        settings.mode() == Mode.IDLE ? 1 : settings.depth(), pattern);
                flow.register(channel.register(selector, SelectionKey.OP_READ, flow));
                batch.add(flow);
            }
            if (settings.mode() == Mode.IDLE) {
                sending = false;
                long now = System.nanoTime();
                for (Flow flow : batch) {
                    flow.queue(now);
                }
                flows.addAll(batch);
                drain();
            } else {
                flows.addAll(batch);
            }
        }
    }

    /** Runs the loop until the deadline. */
    private void spin(long deadline) throws IOException {
        while (System.nanoTime() - deadline < 0) {
            selector.select(this::ready, 100);
        }
    }

    /** Stops sending and waits (at most 10 s) for every message in flight to come back. */
    private void drain() throws IOException {
        boolean wasSending = sending;
        sending = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (inFlight() > 0) {
            if (System.nanoTime() - deadline >= 0) {
                throw new IOException(inFlight() + " messages still in flight 10 s after sending stopped");
            }
            selector.select(this::ready, 100);
        }
        sending = wasSending && settings.mode() != Mode.IDLE;
    }

    private long inFlight() {
        long total = 0;
        for (Flow flow : flows) {
            total += flow.inFlight();
        }
        return total;
    }

    private void ready(SelectionKey key) {
        Flow flow = (Flow) key.attachment();
        try {
            if (key.isWritable()) {
                flow.write();
            }
            if (key.isReadable()) {
                flow.read(scratch, this::completed);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void completed(Flow flow, long nanos) {
        latencies.record(nanos);
        if (measuring) {
            completed++;
        }
        if (sending) {
            try {
                flow.queue(System.nanoTime());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** Waits for a line (or the end) of standard input, at most the given time. */
    private static void awaitLine(long millis) {
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try {
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            } catch (IOException ignored) {
                // The runner went away: stop holding.
            }
        });
        try {
            reader.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeAll() throws IOException {
        for (Flow flow : flows) {
            flow.channel().close();
        }
        selector.close();
    }
}
