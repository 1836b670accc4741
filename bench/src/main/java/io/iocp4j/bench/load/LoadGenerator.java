package io.iocp4j.bench.load;

import io.iocp4j.bench.tls.BenchTls;

import javax.net.ssl.SSLContext;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The load generator: one thread, one selector, non-blocking JDK sockets, driving any echo server the same way, over
 * plain TCP or over TLS (the JDK's SSLEngine, TLS 1.3 and {@link BenchTls#CIPHER_SUITE} alone, trusting the bench
 * certificate). Modes: ping-pong and pipeline (a closed loop of {@code depth} messages in flight per connection;
 * ping-pong is depth 1), idle (open the connections, echo one byte on each so the server surely holds them, then
 * stay silent until told to stop), and, with TLS, handshakes ({@code connections} at a time, each a new connection:
 * connect, full handshake, one message echoed, close). It prints one {@code RESULT key=value ...} line; the runner
 * reads it.
 */
public final class LoadGenerator {
    private static final int SCRATCH = 256 * 1024;
    private static final int CONNECT_BATCH = 500;
    private static final long HANDSHAKE_BOUND_NANOS = TimeUnit.SECONDS.toNanos(30);

    public enum Mode { PING_PONG, PIPELINE, IDLE, HANDSHAKES }

    /** What to generate; durations in milliseconds; {@code tlsDirectory} holds the bench certificate, null: no TLS. */
    public record Settings(int port, Mode mode, int connections, int size, int depth, long warmupMillis,
                           long measureMillis, long holdMillis, long serverPid, Path tlsDirectory) {
        public Settings {
            if (connections < 1 || size < 1 || depth < 1) {
                throw new IllegalArgumentException("connections, size and depth must be at least 1");
            }
            if ((mode == Mode.PING_PONG || mode == Mode.HANDSHAKES) && depth != 1) {
                throw new IllegalArgumentException(mode + " has one message in flight; use pipeline for more");
            }
            if (mode == Mode.HANDSHAKES && tlsDirectory == null) {
                throw new IllegalArgumentException("handshakes are TLS handshakes: they need TLS");
            }
        }

        /** Plain TCP. */
        public Settings(int port, Mode mode, int connections, int size, int depth, long warmupMillis,
                        long measureMillis, long holdMillis, long serverPid) {
            this(port, mode, connections, size, depth, warmupMillis, measureMillis, holdMillis, serverPid, null);
        }

        public boolean tls() {
            return tlsDirectory != null;
        }
    }

    private final Settings settings;
    private final InetSocketAddress server;
    private final Selector selector;
    private final List<Flow> flows = new ArrayList<>();
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(SCRATCH);
    private final ByteBuffer pattern;
    private final LatencyRecorder latencies = new LatencyRecorder(0);
    /** Null on plain TCP. */
    private final SSLContext tls;
    private final TlsWire.Buffers tlsBuffers;
    /** Handshakes whose connection has been echoed once: closed, and replaced, after the selector's round. */
    private final List<Flow> finished = new ArrayList<>();
    private final Consumer<SelectionKey> onReady = this::ready;
    private final Flow.Completions onCompleted = this::completed;
    private int handshaking;
    private boolean sending = true;
    private boolean measuring;
    private long completed;

    private LoadGenerator(Settings settings) throws IOException, GeneralSecurityException {
        this.settings = settings;
        this.server = new InetSocketAddress("127.0.0.1", settings.port());
        this.pattern = Flow.pattern(Math.max(settings.size() * settings.depth(), 64 * 1024));
        if (settings.tls()) {
            tls = BenchTls.clientContext(certificate(settings.tlsDirectory()));
            tlsBuffers = TlsWire.Buffers.forPackets(BenchTls.clientEngine(tls).getSession().getPacketBufferSize());
        } else {
            tls = null;
            tlsBuffers = null;
        }
        this.selector = Selector.open();
    }

    public static void run(Settings settings) throws Exception {
        System.out.println(result(settings));
    }

    /** Generates the load and returns its {@code RESULT} line (idle: once told to stop, after printing OPEN). */
    static String result(Settings settings) throws Exception {
        LoadGenerator generator = new LoadGenerator(settings);
        try {
            return settings.mode() == Mode.IDLE ? generator.idle() : generator.loaded();
        } finally {
            generator.closeAll();
        }
    }

    private static Path certificate(Path directory) throws IOException, GeneralSecurityException {
        try {
            return BenchTls.in(directory).certificatePem();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading the bench certificate", e);
        }
    }

    private String loaded() throws IOException {
        CpuClock clock = new CpuClock(settings.serverPid());
        if (settings.mode() == Mode.HANDSHAKES) {
            for (int i = 0; i < settings.connections(); i++) {
                connect();
            }
        } else {
            open(settings.connections());
            long now = System.nanoTime();
            for (Flow flow : flows) {
                for (int i = 0; i < settings.depth(); i++) {
                    flow.queue(now);
                }
            }
        }
        spin(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.warmupMillis()));
        // Sends on a connection are due as often as one round trip allows, shared among its messages in flight.
        latencies.setExpectedInterval(latencies.count() == 0 ? 0 : Math.max(1, latencies.measured(50) / settings.depth()));
        latencies.reset();
        measuring = true;
        completed = 0;
        CpuClock.Sample before = clock.sample();
        spin(before.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.measureMillis()));
        CpuClock.Sample after = clock.sample();
        measuring = false;
        long count = completed;
        drain();
        double seconds = (after.nanoTime() - before.nanoTime()) / 1e9;
        double[] cpu = CpuClock.percentages(before, after);
        String rates = settings.mode() == Mode.HANDSHAKES
                ? String.format(Locale.ROOT, "handshakes=%d seconds=%.3f handshakesPerSec=%.1f", count, seconds,
                        count / seconds)
                : String.format(Locale.ROOT, "messages=%d seconds=%.3f msgsPerSec=%.1f mbPerSec=%.2f", count, seconds,
                        count / seconds, count * (double) settings.size() / seconds / 1e6);
        return String.format(Locale.ROOT, "RESULT mode=%s%s connections=%d size=%d depth=%d %s p50us=%.1f p99us=%.1f"
                        + " p999us=%.1f measuredP99us=%.1f maxus=%.1f generatorCpu=%.1f serverCpu=%.1f"
                        + " foreignCpu=%.1f softirqCpu=%.1f",
                settings.mode(), settings.tls() ? " tls=" + BenchTls.PROTOCOL + "/" + BenchTls.CIPHER_SUITE : "",
                settings.connections(), settings.size(), settings.depth(), rates,
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
     * Opens connections in batches, each connection (its TLS handshake done) echoing one byte before the next batch
     * starts, so that the server has accepted every one and no more than a batch waits in its accept queue.
     */
    private void open(int count) throws IOException {
        while (flows.size() < count) {
            int first = flows.size();
            for (int i = 0; i < CONNECT_BATCH && first + i < count; i++) {
                connect();
            }
            awaitHandshakes();
            if (settings.mode() == Mode.IDLE) {
                sending = false;
                long now = System.nanoTime();
                for (Flow flow : flows.subList(first, flows.size())) {
                    flow.queue(now);
                }
                drain();
            }
        }
    }

    /** Opens one connection: on plain TCP a flow at once, with TLS a handshake that becomes one. */
    private void connect() throws IOException {
        long started = System.nanoTime();
        SocketChannel channel = SocketChannel.open(server);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.configureBlocking(false);
        boolean idle = settings.mode() == Mode.IDLE;
        int size = idle ? 1 : settings.size();
        int depth = idle ? 1 : settings.depth();
        if (tls == null) {
            Flow flow = new Flow(Wire.plain(channel), size, depth, pattern, false);
            flow.register(channel.register(selector, SelectionKey.OP_READ, flow));
            flows.add(flow);
            return;
        }
        TlsWire wire = new TlsWire(channel, BenchTls.clientEngine(tls), tlsBuffers);
        Flow flow = new Flow(wire, size, depth, pattern, true);
        Handshake handshake = new Handshake(wire, flow, started);
        SelectionKey key = channel.register(selector, SelectionKey.OP_READ, handshake);
        flow.register(key);
        handshaking++;
        if (handshake.step(key, scratch)) {
            established(handshake);
        }
    }

    private void established(Handshake handshake) throws IOException {
        handshaking--;
        flows.add(handshake.flow());
        if (settings.mode() == Mode.HANDSHAKES) {
            handshake.flow().queue(handshake.startedNanos());
        }
    }

    private void awaitHandshakes() throws IOException {
        long deadline = System.nanoTime() + HANDSHAKE_BOUND_NANOS;
        while (handshaking > 0) {
            if (System.nanoTime() - deadline >= 0) {
                throw new IOException(handshaking + " TLS handshakes unfinished after 30 s");
            }
            select();
        }
    }

    /** Runs the loop until the deadline. */
    private void spin(long deadline) throws IOException {
        while (System.nanoTime() - deadline < 0) {
            select();
        }
    }

    /** Stops sending and waits (at most 10 s) for every message in flight and every handshake to end. */
    private void drain() throws IOException {
        boolean wasSending = sending;
        sending = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (inFlight() > 0 || handshaking > 0) {
            if (System.nanoTime() - deadline >= 0) {
                throw new IOException(inFlight() + " messages and " + handshaking + " handshakes still in flight"
                        + " 10 s after sending stopped");
            }
            select();
        }
        sending = wasSending && settings.mode() != Mode.IDLE;
    }

    /** One round of the selector, then the handshakes' connections that were echoed are closed and replaced. */
    private void select() throws IOException {
        selector.select(onReady, 100);
        if (finished.isEmpty()) {
            return;
        }
        for (Flow flow : finished) {
            flows.remove(flow);
            flow.wire().close();
        }
        int replace = sending ? finished.size() : 0;
        finished.clear();
        for (int i = 0; i < replace; i++) {
            connect();
        }
    }

    private long inFlight() {
        long total = 0;
        for (Flow flow : flows) {
            total += flow.inFlight();
        }
        return total;
    }

    private void ready(SelectionKey key) {
        try {
            if (key.attachment() instanceof Handshake handshake) {
                if (handshake.step(key, scratch)) {
                    established(handshake);
                }
                return;
            }
            Flow flow = (Flow) key.attachment();
            if (key.isWritable()) {
                flow.write();
            }
            if (key.isReadable()) {
                flow.read(scratch, onCompleted);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void completed(Flow flow, long nanos) {
        latencies.record(nanos);
        if (measuring) {
            completed++;
        }
        if (settings.mode() == Mode.HANDSHAKES) {
            finished.add(flow);
        } else if (sending) {
            try {
                flow.queue(System.nanoTime());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
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

    /** Closes every connection, flows and handshakes alike, without a word to the server. */
    private void closeAll() throws IOException {
        for (SelectionKey key : selector.keys()) {
            key.channel().close();
        }
        selector.close();
    }
}
