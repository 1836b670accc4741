package io.iocp4j.bench.load;

import io.iocp4j.bench.NativeBuild;
import io.iocp4j.bench.peer.EchoPeer;
import io.iocp4j.bench.peer.NativePeers;
import io.iocp4j.bench.run.Measurement;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The C load generator (native/c-load.c), built with gcc and run briefly against iocp4j's echo server and the C
 * peers: its counts, bytes and percentiles must agree with each other, it must refuse an echo that alters a byte,
 * and its histogram must give percentiles within 1 % of the exact ones.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CLoadGeneratorTest {
    private static Path generator;

    @BeforeAll
    static void build() throws Exception {
        assumeTrue(NativeBuild.compilerWorks(),
                "gcc is not on the PATH: the C load generator cannot be built, so it is not tested here");
        generator = NativeBuild.binary("c-load");
    }

    @ParameterizedTest(name = "{0} {1}: {2} connections, {3} B, {4} in flight")
    @CsvSource({
            "iocp4j-nio2, ping-pong, 8, 64, 1",
            "c-epoll, ping-pong, 8, 64, 1",
            "c-uring, ping-pong, 8, 64, 1",
            "iocp4j-nio2, pipeline, 3, 4096, 8",
            "c-epoll, pipeline, 3, 4096, 8",
            "c-uring, pipeline, 3, 4096, 8"})
    void countsAgreeWithTheEchoedBytes(String server, String mode, int connections, int size, int depth)
            throws Exception {
        try (EchoServer echo = EchoServer.start(server)) {
            Map<String, Double> result = echo.load(mode, connections, size, depth);

            assertFigures(result, connections, size, depth);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"iocp4j-nio2", "c-uring"})
    void idleOpensEveryConnectionAndHoldsItUntilTold(String server) throws Exception {
        try (EchoServer echo = EchoServer.start(server)) {
            Process load = new ProcessBuilder(generator.toString(), "--port", Integer.toString(echo.port()),
                    "--mode", "idle", "--connections", "300", "--hold-ms", "30000").redirectErrorStream(true).start();
            BufferedReader output = new BufferedReader(new InputStreamReader(load.getInputStream(),
                    StandardCharsets.UTF_8));

            assertEquals("OPEN 300", output.readLine());
            assertTrue(load.isAlive(), "holds the connections until told to stop");
            load.getOutputStream().write("stop\n".getBytes(StandardCharsets.US_ASCII));
            load.getOutputStream().flush();
            String line = output.readLine();
            assertTrue(load.waitFor(10, TimeUnit.SECONDS));
            assertEquals(0, load.exitValue(), line);
            assertEquals(300, Measurement.parseResult(line).get("connections"), line);
        }
    }

    @Test
    void stopsWithAnErrorWhenTheEchoAltersAByte() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofPlatform().daemon().start(() -> echoAlteringByte(listener, 1000));

            Run run = Run.of(generator.toString(), "--port", Integer.toString(listener.getLocalPort()),
                    "--mode", "ping-pong", "--connections", "1", "--warmup-ms", "200", "--measure-ms", "300");

            assertEquals(1, run.exitCode(), run.output());
            assertTrue(run.output().contains("echo differs at byte 1000"), run.output());
        }
    }

    @Test
    void refusesOptionsThatMakeNoSense() throws Exception {
        Run depth = Run.of(generator.toString(), "--mode", "ping-pong", "--depth", "4");
        Run unknown = Run.of(generator.toString(), "--connection", "4");
        Run negative = Run.of(generator.toString(), "--size", "-1");

        assertEquals(1, depth.exitCode());
        assertTrue(depth.output().contains("ping-pong has one message in flight"), depth.output());
        assertEquals(1, unknown.exitCode());
        assertTrue(unknown.output().contains("unknown option --connection"), unknown.output());
        assertEquals(1, negative.exitCode());
        assertTrue(negative.output().contains("--size must be a whole number"), negative.output());
    }

    @Test
    void histogramPercentilesAreWithinOnePercentOfTheExactOnes() throws Exception {
        // Round trips from 1 us to 100 ms, spread evenly over the orders of magnitude as real latencies are.
        Random random = new Random(8);
        long[] values = new long[200_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (long) Math.pow(10, 3 + 5 * random.nextDouble());
        }

        Map<String, Double> result = percentiles(values, 0);

        long[] sorted = values.clone();
        Arrays.sort(sorted);
        assertEquals(values.length, result.get("count"));
        assertWithinOnePercent(exact(sorted, 50), result.get("p50ns"), "p50");
        assertWithinOnePercent(exact(sorted, 99), result.get("p99ns"), "p99");
        assertWithinOnePercent(exact(sorted, 99.9), result.get("p999ns"), "p99.9");
        assertEquals(sorted[sorted.length - 1], result.get("maxns"), "the maximum is exact");
    }

    @Test
    void correctionForCoordinatedOmissionMatchesHdrHistogram() throws Exception {
        // Mostly 50-150 us round trips with a stall of a few milliseconds now and then.
        Random random = new Random(9);
        long[] values = new long[50_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i % 1000 == 0 ? 2_000_000 + random.nextInt(8_000_000) : 50_000 + random.nextInt(100_000);
        }
        long interval = 100_000;
        Histogram reference = new Histogram(60_000_000_000L, 3);
        for (long value : values) {
            reference.recordValueWithExpectedInterval(value, interval);
        }

        Map<String, Double> result = percentiles(values, interval);

        assertEquals(reference.getTotalCount(), result.get("correctedCount"));
        assertWithinOnePercent(reference.getValueAtPercentile(50), result.get("correctedP50ns"), "corrected p50");
        assertWithinOnePercent(reference.getValueAtPercentile(99), result.get("correctedP99ns"), "corrected p99");
        assertWithinOnePercent(reference.getValueAtPercentile(99.9), result.get("correctedP999ns"),
                "corrected p99.9");
    }

    /** The figures of one loaded run must agree with each other and with what was asked. */
    private static void assertFigures(Map<String, Double> result, int connections, int size, int depth) {
        String text = result.toString();
        assertEquals(connections, result.get("connections"), text);
        assertEquals(size, result.get("size"), text);
        assertEquals(depth, result.get("depth"), text);
        double messages = result.get("messages");
        assertTrue(messages > 0, "echoes came back: " + text);
        assertEquals(messages / result.get("seconds"), result.get("msgsPerSec"), result.get("msgsPerSec") * 1e-3,
                text);
        assertEquals(result.get("msgsPerSec") * size / 1e6, result.get("mbPerSec"), result.get("mbPerSec") * 1e-3
                + 0.01, text);
        // Bytes read while measuring differ from whole messages completed only by the messages in flight.
        assertTrue(Math.abs(result.get("echoedBytes") - messages * size) <= (double) connections * depth * size,
                "echoed bytes match the messages counted: " + text);
        assertTrue(result.get("p50us") > 0 && result.get("p50us") <= result.get("p99us")
                && result.get("p99us") <= result.get("p999us"), "percentiles in order: " + text);
        assertTrue(result.get("measuredP99us") <= result.get("maxus"), "p99 within the maximum: " + text);
        assertTrue(result.get("generatorCpu") > 0 && result.get("generatorCpu") < 150,
                "one thread's CPU use: " + text);
        assertTrue(result.get("serverCpu") >= 0 && result.get("foreignCpu") >= 0, text);
    }

    private static Map<String, Double> percentiles(long[] values, long expectedInterval) throws Exception {
        StringBuilder input = new StringBuilder();
        for (long value : values) {
            input.append(value).append('\n');
        }
        Run run = Run.withInput(input.toString(), generator.toString(), "--mode", "percentiles",
                "--expected-interval-ns", Long.toString(expectedInterval));
        assertEquals(0, run.exitCode(), run.output());
        return Measurement.parseResult(run.output().trim());
    }

    /** The value of the ceil(p % of n)-th smallest, as HdrHistogram defines a percentile. */
    private static long exact(long[] sorted, double percentile) {
        int rank = Math.max(1, (int) Math.ceil(percentile / 100 * sorted.length));
        return sorted[rank - 1];
    }

    private static void assertWithinOnePercent(double expected, double actual, String what) {
        assertEquals(expected, actual, expected * 0.01, what + ": " + actual + " instead of " + expected);
    }

    /** Echoes one connection's bytes, but the byte at {@code altered} comes back changed. */
    private static void echoAlteringByte(ServerSocket listener, long altered) {
        try (Socket socket = listener.accept()) {
            socket.setTcpNoDelay(true);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] buffer = new byte[4096];
            long offset = 0;
            int count;
            while ((count = in.read(buffer)) > 0) {
                if (altered >= offset && altered < offset + count) {
                    buffer[(int) (altered - offset)] ^= 0x55;
                }
                offset += count;
                out.write(buffer, 0, count);
            }
        } catch (IOException ignored) {
            // The generator stopped: the test looks at what it printed.
        }
    }

    /** A program run to its end: its exit code and everything it printed. */
    private record Run(int exitCode, String output) {
        static Run of(String... command) throws Exception {
            return withInput("", command);
        }

        static Run withInput(String input, String... command) throws Exception {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            Thread.ofPlatform().daemon().start(() -> {
                try (OutputStream stdin = process.getOutputStream()) {
                    stdin.write(input.getBytes(StandardCharsets.US_ASCII));
                } catch (IOException ignored) {
                    // It stopped reading: its exit code and output say why.
                }
            });
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            return new Run(process.exitValue(), output);
        }
    }

    /** An echo server for one test: iocp4j's in this JVM, or a C peer as a process of its own. */
    private record EchoServer(int port, AutoCloseable stopping) implements AutoCloseable {
        static EchoServer start(String name) throws Exception {
            if (!NativePeers.isNative(name)) {
                EchoPeer peer = EchoPeer.named(name);
                return new EchoServer(peer.start(0, 1), peer);
            }
            Process process = new ProcessBuilder(NativePeers.binary(name).toString(), "0")
                    .redirectErrorStream(true).start();
            String ready = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8)).readLine();
            assertTrue(ready != null && ready.startsWith("READY "), name + " printed " + ready);
            // A C peer stops at the end of its input.
            return new EchoServer(Integer.parseInt(ready.split(" ")[1]), () -> {
                process.getOutputStream().close();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            });
        }

        @Override
        public void close() throws Exception {
            stopping.close();
        }

        /** A short loaded run of the generator against this server; its RESULT figures. */
        Map<String, Double> load(String mode, int connections, int size, int depth) throws Exception {
            List<String> command = new ArrayList<>(List.of(generator.toString(), "--port", Integer.toString(port()),
                    "--mode", mode, "--connections", Integer.toString(connections), "--size",
                    Integer.toString(size), "--depth", Integer.toString(depth), "--warmup-ms", "200",
                    "--measure-ms", "500", "--server-pid", Long.toString(ProcessHandle.current().pid())));
            Run run = Run.of(command.toArray(String[]::new));
            assertEquals(0, run.exitCode(), run.output());
            String line = run.output().lines().filter(l -> l.startsWith("RESULT")).findFirst().orElseThrow(
                    () -> new AssertionError("no RESULT line: " + run.output()));
            return Measurement.parseResult(line);
        }
    }
}
