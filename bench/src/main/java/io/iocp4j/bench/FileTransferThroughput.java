package io.iocp4j.bench;

import io.iocp4j.bench.run.Statistics;
import io.iocp4j.Client;
import io.iocp4j.Connection;
import io.iocp4j.Transport;
import io.iocp4j.file.FileDecision;
import io.iocp4j.file.FileHandler;
import io.iocp4j.file.FileOffer;
import io.iocp4j.file.FileReception;
import io.iocp4j.file.FileStore;
import io.iocp4j.file.FileTransfer;
import io.iocp4j.file.FileTransferException;
import io.iocp4j.file.FileTransfers;
import io.iocp4j.frame.Framing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loopback throughput of one large file uploaded and downloaded (warm page cache) on each transport, against
 * iperf3 single stream in the same run, with the server's CPU time per GiB. The server runs in a process of its
 * own, on every CPU, or on CPU 0 only with {@code --pin-server} (when {@code taskset} exists); the client is this
 * process. iperf3's server always runs on CPU 0, where it is fastest on loopback. Rounds alternate the subjects.
 * Rates are of the raw stream (from its first byte to the receiver's FILE_DONE); the end-to-end time also counts the
 * sender's hashing before its FILE_OFFER. The receiver hashes every byte as it arrives, so each round also measures
 * the JDK's SHA-256 alone on one core, and a {@link FileStore} taking the whole file from memory with no network
 * at all: a stream rate near those is the receiver's limit, not the transport's.
 *
 * <p>The files live in {@code --dir}: on a disk, the receiver's writes of several GiB reach the kernel's dirty-page
 * limit and then go at the disk's pace, which is no longer a loopback figure; a memory file system ({@code /dev/shm})
 * keeps the whole run in memory.
 *
 * <p>Variants compare settings in the same run, interleaved: each is a name and system properties given to both ends
 * (the server process and this one's client), such as {@code splice=;copy=-Diocp4j.uring.splice=false}.
 *
 * <pre>
 * bin/iocp4j-bench file-transfer [--size-mib 2048] [--transports uring,nio2] [--rounds 2] [--iperf3-seconds 5]
 *                                [--dir /tmp] [--server-options "-Diocp4j.uring.receiveBufferSize=65536"]
 *                                [--variants "splice=;copy=-Diocp4j.uring.splice=false"] [--pin-server]
 * </pre>
 */
final class FileTransferThroughput {
    private static final Pattern IPERF_RECEIVED = Pattern.compile(
            "\"sum_received\"\\s*:\\s*\\{[^}]*?\"bits_per_second\"\\s*:\\s*([0-9.e+]+)", Pattern.DOTALL);
    private static final long TICKS_PER_SECOND = 100;

    private final long size;
    private final List<String> transports;
    private final int rounds;
    private final int iperfSeconds;
    private final Path base;
    /** JVM options for the server process, such as {@code -Diocp4j.uring.receiveBufferSize=65536}. */
    private final List<String> serverOptions;
    private final List<Variant> variants;
    /** Whether the server process runs on CPU 0 only, as iperf3's server does, or on every CPU. */
    private final boolean pinServer;

    /** Settings compared in one run: system properties for both ends. */
    private record Variant(String name, List<String> options) {
        static List<Variant> parse(String text) {
            List<Variant> parsed = new ArrayList<>();
            for (String entry : text.split(";")) {
                int equals = entry.indexOf('=');
                if (equals < 0) {
                    throw new IllegalArgumentException("--variants wants name=options;name=options, not: " + entry);
                }
                String options = entry.substring(equals + 1).trim();
                List<String> list = options.isEmpty() ? List.of() : List.of(options.split("\\s+"));
                for (String option : list) {
                    if (!option.startsWith("-D") || !option.contains("=")) {
                        throw new IllegalArgumentException("a variant's options are -Dname=value: " + option);
                    }
                }
                parsed.add(new Variant(entry.substring(0, equals).trim(), list));
            }
            return parsed;
        }

        /** Sets this variant's properties in this process, for the client; returns what to restore. */
        Runnable applyHere() {
            List<Runnable> restores = new ArrayList<>();
            for (String option : options) {
                String[] pair = option.substring(2).split("=", 2);
                String before = System.getProperty(pair[0]);
                System.setProperty(pair[0], pair[1]);
                restores.add(() -> {
                    if (before == null) {
                        System.clearProperty(pair[0]);
                    } else {
                        System.setProperty(pair[0], before);
                    }
                });
            }
            return () -> restores.forEach(Runnable::run);
        }
    }

    /** One transport with one variant: a row of the report. */
    private record Subject(String transport, Variant variant) {
        String label() {
            return variant.name.isEmpty() ? transport : transport + " " + variant.name;
        }
    }

    private FileTransferThroughput(Arguments arguments) {
        size = (long) arguments.integer("size-mib", 2048) << 20;
        transports = List.of(arguments.text("transports", "uring,nio2").split(","));
        rounds = arguments.integer("rounds", 2);
        iperfSeconds = arguments.integer("iperf3-seconds", 5);
        base = Path.of(arguments.text("dir", System.getProperty("java.io.tmpdir")));
        String options = arguments.text("server-options", "").trim();
        serverOptions = options.isEmpty() ? List.of() : List.of(options.split("\\s+"));
        variants = Variant.parse(arguments.text("variants", "="));
        pinServer = arguments.flag("pin-server");
        arguments.requireAllUsed();
    }

    static void main(Arguments arguments) throws Exception {
        new FileTransferThroughput(arguments).run();
    }

    private record Result(double streamMiBs, double endToEndMiBs, double serverCpuSecondsPerGiB) {
    }

    private void run() throws Exception {
        Path work = Files.createTempDirectory(base, "iocp4j-file-bench");
        try {
            Path source = createSource(work.resolve("source.bin"));
            warmMemory(work);
            System.out.printf(Locale.ROOT, "file transfer, %d MiB, warm page cache, server on %s%s%n", size >> 20,
                    pinServer ? "CPU 0" : "every CPU",
                    serverOptions.isEmpty() ? "" : ", server " + String.join(" ", serverOptions));
            List<Subject> subjects = new ArrayList<>();
            for (String transport : transports) {
                for (Variant variant : variants) {
                    subjects.add(new Subject(transport, variant));
                }
            }
            List<Double> iperf = new ArrayList<>();
            List<Double> sha256 = new ArrayList<>();
            List<Double> stored = new ArrayList<>();
            List<List<Result>> uploads = new ArrayList<>();
            List<List<Result>> downloads = new ArrayList<>();
            subjects.forEach(t -> {
                uploads.add(new ArrayList<>());
                downloads.add(new ArrayList<>());
            });
            for (int round = 1; round <= rounds; round++) {
                if (iperfSeconds > 0) {
                    double rate = iperf3();
                    iperf.add(rate);
                    System.out.printf(Locale.ROOT, "round %d  iperf3 single stream     %8.0f MiB/s%n", round, rate);
                }
                double hashRate = sha256Rate();
                sha256.add(hashRate);
                System.out.printf(Locale.ROOT, "round %d  SHA-256 alone, one core %8.0f MiB/s%n", round, hashRate);
                double storeRate = storeRate(work);
                stored.add(storeRate);
                System.out.printf(Locale.ROOT, "round %d  storing alone, no network %7.0f MiB/s%n", round, storeRate);
                for (int i = 0; i < subjects.size(); i++) {
                    Result[] both = measure(subjects.get(i), source, work);
                    uploads.get(i).add(both[0]);
                    downloads.get(i).add(both[1]);
                    for (int d = 0; d < 2; d++) {
                        System.out.printf(Locale.ROOT, "round %d  %-14s %-8s stream %8.0f MiB/s  end to end %6.0f"
                                        + " MiB/s  server CPU %5.2f s/GiB%n", round, subjects.get(i).label(),
                                d == 0 ? "upload" : "download", both[d].streamMiBs, both[d].endToEndMiBs,
                                both[d].serverCpuSecondsPerGiB);
                    }
                }
            }
            System.out.println("medians (min..max):");
            double iperfMedian = iperf.isEmpty() ? Double.NaN : Statistics.of(iperf.stream().mapToDouble(d -> d)
                    .toArray()).median();
            if (!iperf.isEmpty()) {
                System.out.printf(Locale.ROOT, "  %-28s %8.0f MiB/s  %s%n", "iperf3 single stream", iperfMedian,
                        spread(iperf));
            }
            System.out.printf(Locale.ROOT, "  %-28s %8.0f MiB/s  %s%n", "SHA-256 alone, one core",
                    Statistics.of(sha256.stream().mapToDouble(d -> d).toArray()).median(), spread(sha256));
            System.out.printf(Locale.ROOT, "  %-28s %8.0f MiB/s  %s%n", "storing alone, no network",
                    Statistics.of(stored.stream().mapToDouble(d -> d).toArray()).median(), spread(stored));
            for (int i = 0; i < subjects.size(); i++) {
                summarize(subjects.get(i).label() + " upload", uploads.get(i), iperfMedian);
                summarize(subjects.get(i).label() + " download", downloads.get(i), iperfMedian);
            }
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String spread(List<Double> values) {
        return String.format(Locale.ROOT, "(%.0f..%.0f)", values.stream().mapToDouble(d -> d).min().orElse(0),
                values.stream().mapToDouble(d -> d).max().orElse(0));
    }

    /** The JDK's SHA-256 over 512 MiB already in memory, on this thread: what a receiver's hashing can reach. */
    private static double sha256Rate() throws Exception {
        byte[] block = new byte[16 << 20];
        new Random(2).nextBytes(block);
        java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
        // Warm: the intrinsic is compiled before the timed part.
        for (int i = 0; i < 4; i++) {
            digest.update(block);
        }
        digest.digest();
        int rounds = 32;
        long begin = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            digest.update(block);
        }
        digest.digest();
        return rounds * (double) (block.length >> 20) / ((System.nanoTime() - begin) / 1e9);
    }

    /**
     * What a receiver does with a file's bytes, without the network: a {@link FileStore} takes the file in 64 KiB
     * pieces from memory, as receive buffers would bring them (the write to the partial file, SHA-256, the rename).
     * No receiver on this machine can take a file faster, whatever the transport.
     */
    private double storeRate(Path work) throws Exception {
        Path dir = Files.createDirectories(work.resolve("store-alone"));
        ByteBuffer piece = ByteBuffer.allocateDirect(64 << 10);
        byte[] bytes = new byte[piece.capacity()];
        new Random(3).nextBytes(bytes);
        piece.put(bytes).flip();
        java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
        for (long at = 0; at < size; at += bytes.length) {
            digest.update(bytes, 0, (int) Math.min(bytes.length, size - at));
        }
        FileStore store = FileStore.builder(dir).maxPartialBytes(Long.MAX_VALUE).build();
        long begin = System.nanoTime();
        FileReception reception = store.receive(new FileOffer("alone.bin", size, digest.digest()));
        for (long at = 0; at < size; at += bytes.length) {
            reception.write(piece.clear().limit((int) Math.min(bytes.length, size - at)));
        }
        FileTransferException failure = reception.finish();
        double seconds = (System.nanoTime() - begin) / 1e9;
        Files.delete(dir.resolve("alone.bin"));
        if (failure != null) {
            throw failure;
        }
        return (size >> 20) / seconds;
    }

    private static void summarize(String what, List<Result> results, double iperf) {
        List<Double> rates = results.stream().map(Result::streamMiBs).toList();
        double stream = Statistics.of(rates.stream().mapToDouble(d -> d).toArray()).median();
        double cpu = Statistics.of(results.stream().mapToDouble(Result::serverCpuSecondsPerGiB).toArray()).median();
        System.out.printf(Locale.ROOT, "  %-28s %8.0f MiB/s  %-13s %s  server CPU %5.2f s/GiB%n", what, stream,
                spread(rates), Double.isNaN(iperf) ? "" : String.format(Locale.ROOT, "%.2fx iperf3", stream / iperf),
                cpu);
    }

    private Path createSource(Path file) throws IOException {
        byte[] block = new byte[1 << 20];
        new Random(1).nextBytes(block);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long written = 0; written < size; written += block.length) {
                ByteBuffer buffer = ByteBuffer.wrap(block, 0, (int) Math.min(block.length, size - written));
                buffer.putLong(0, written);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
        }
        return file;
    }

    /**
     * Writes and deletes three times the file's size in the directory first. On a virtual machine whose memory the
     * host backs only when first touched, the first writes into pages never used before cost several times more
     * than later ones: without this, the first rounds would measure the host, not the transfer.
     */
    private void warmMemory(Path work) throws IOException {
        Path scratch = work.resolve("warm.bin");
        for (int i = 0; i < 3; i++) {
            createSource(scratch);
            Files.delete(scratch);
        }
    }

    /** One upload then one download of the file through a fresh server process; the two results. */
    private Result[] measure(Subject subject, Path source, Path work) throws Exception {
        String transport = subject.transport();
        Path serverDir = Files.createDirectories(work.resolve("server-" + transport));
        Path clientDir = Files.createDirectories(work.resolve("client-" + transport));
        Process server = startServer(serverDir, transport, subject.variant().options());
        Runnable restore = subject.variant().applyHere();
        try (Client client = Client.builder().transport(Transport.valueOf(transport.toUpperCase(Locale.ROOT)))
                .framing(Framing.lengthPrefixed(4, 1 << 20)).handler(new Downloads(clientDir)).build()) {
            int port = readPort(server);
            Connection connection = client.connect("127.0.0.1", port).get(10, TimeUnit.SECONDS);
            Result upload = timed(server, () -> FileTransfers.of(connection).send(source, "bench.bin"));
            Result download = timed(server, () -> FileTransfers.of(connection).request("bench.bin"));
            connection.close();
            return new Result[]{upload, download};
        } finally {
            restore.run();
            server.getOutputStream().close();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
            Files.deleteIfExists(serverDir.resolve("bench.bin"));
            Files.deleteIfExists(clientDir.resolve("bench.bin"));
        }
    }

    private interface Start {
        FileTransfer start();
    }

    private Result timed(Process server, Start start) throws Exception {
        long cpuBefore = cpuTicks(server.pid());
        long begin = System.nanoTime();
        FileTransfer transfer = start.start();
        long firstByte = 0;
        while (!transfer.result().isDone()) {
            if (firstByte == 0 && transfer.transferred() > 0) {
                firstByte = System.nanoTime();
            }
            if (firstByte != 0) {
                transfer.result().get(600, TimeUnit.SECONDS);
            } else {
                // Polled, not spun: the sender is hashing on this machine's other core.
                java.util.concurrent.locks.LockSupport.parkNanos(100_000);
            }
        }
        transfer.result().get();
        long end = System.nanoTime();
        long cpuAfter = cpuTicks(server.pid());
        double mib = size / (double) (1 << 20);
        double streamSeconds = (end - (firstByte == 0 ? begin : firstByte)) / 1e9;
        double cpuSeconds = (cpuAfter - cpuBefore) / (double) TICKS_PER_SECOND;
        return new Result(mib / streamSeconds, mib / ((end - begin) / 1e9), cpuSeconds / (mib / 1024));
    }

    /** utime + stime of the process, in clock ticks (fields 14 and 15 of /proc/PID/stat). */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private Process startServer(Path dir, String transport, List<String> variantOptions) throws IOException {
        List<String> command = new ArrayList<>();
        if (pinServer && Files.isExecutable(Path.of("/usr/bin/taskset"))) {
            command.addAll(List.of("/usr/bin/taskset", "-c", "0"));
        }
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("--enable-native-access=io.iocp4j.uring,ALL-UNNAMED");
        command.addAll(serverOptions);
        command.addAll(variantOptions);
        String modulePath = System.getProperty("jdk.module.path");
        if (modulePath != null) {
            command.addAll(List.of("-p", modulePath, "-m", "io.iocp4j.bench/" + FileServerMain.class.getName()));
        } else {
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), FileServerMain.class.getName()));
        }
        command.addAll(List.of(dir.toString(), transport));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static int readPort(Process server) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(),
                StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("port ")) {
            throw new IOException("server did not start: " + line);
        }
        return Integer.parseInt(line.split(" ")[1]);
    }

    /** iperf3 single stream over loopback, server on CPU 0; MiB/s received. */
    private double iperf3() throws Exception {
        int port = 5201 + new Random().nextInt(1000);
        List<String> serverCommand = new ArrayList<>(List.of("/usr/bin/taskset", "-c", "0", "iperf3", "-s", "-1",
                "-B", "127.0.0.1", "-p", String.valueOf(port)));
        Process server = new ProcessBuilder(serverCommand).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Thread.sleep(500);
            Process client = new ProcessBuilder("iperf3", "-c", "127.0.0.1", "-p", String.valueOf(port), "-t",
                    String.valueOf(iperfSeconds), "-J").redirectErrorStream(true).start();
            String json = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!client.waitFor(iperfSeconds + 20L, TimeUnit.SECONDS)) {
                client.destroyForcibly();
            }
            Matcher matcher = IPERF_RECEIVED.matcher(json);
            if (!matcher.find()) {
                throw new IOException("no iperf3 result: " + json);
            }
            return Double.parseDouble(matcher.group(1)) / 8 / (1 << 20);
        } finally {
            if (!server.waitFor(5, TimeUnit.SECONDS)) {
                server.destroy();
            }
        }
    }

    /** The client's handler: takes the file it asked for into its directory. */
    private static final class Downloads implements FileHandler {
        private final FileStore store;

        Downloads(Path dir) throws IOException {
            store = FileStore.builder(dir).maxPartialBytes(Long.MAX_VALUE).build();
        }

        @Override
        public FileDecision onFileOffer(Connection connection, FileOffer offer) {
            return FileDecision.use(store);
        }

        @Override
        public void onPacket(Connection connection, ByteBuffer packet) {
        }
    }
}
