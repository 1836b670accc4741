package io.iocp4j.bench.hostile;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Uploads offered under fresh names, half their bytes sent, then reset: what the server keeps of each broken upload
 * stays on its disk, and an attacker has an endless supply of names.
 */
final class PartialUploadAttack implements Attack {
    private static final long CONNECT_SECONDS = 30;
    private static final int ANSWER_TIMEOUT_MILLIS = 10_000;
    /** Time for the half sent to reach the server before the reset, which would discard what is still unsent. */
    private static final long BEFORE_RESET_MILLIS = 500;
    private static final long LONGEST_UPLOAD_MILLIS = 60_000;

    private final int uploads;
    private final int size;
    private final Path directory;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private AttackerConnections opened;

    PartialUploadAttack(int uploads, int size) throws IOException {
        this.uploads = uploads;
        this.size = size;
        this.directory = Files.createTempDirectory("iocp4j-hostile-uploads");
    }

    @Override
    public List<String> serverFlags() {
        return List.of("--dir", directory.toString());
    }

    @Override
    public void attack(int port) throws Exception {
        opened = AttackerConnections.open(port, uploads, CONNECT_SECONDS, one -> upload(one.index(), one.socket()));
        opened.awaitWorkers(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LONGEST_UPLOAD_MILLIS));
    }

    private void upload(int index, Socket socket) {
        try {
            byte[] sha256 = new byte[32];
            new Random(index).nextBytes(sha256);
            OutputStream out = socket.getOutputStream();
            out.write(WireFrames.fileOffer(size, sha256, "hostile-" + index + ".bin"));
            socket.setSoTimeout(ANSWER_TIMEOUT_MILLIS);
            FrameReader reader = new FrameReader(socket.getInputStream());
            int type = reader.next();
            long offset = reader.acceptOffset();
            if (type != WireFrames.FILE_ACCEPT || offset < 0) {
                refused.incrementAndGet();
                return;
            }
            accepted.incrementAndGet();
            byte[] chunk = new byte[64 << 10];
            new Random(-index).nextBytes(chunk);
            for (long left = (size - offset) / 2; left > 0; left -= chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
            Thread.sleep(BEFORE_RESET_MILLIS);
        } catch (IOException e) {
            failed.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            AttackerConnections.reset(socket);
        }
    }

    @Override
    public void leave() {
        if (opened != null) {
            opened.resetAll();
        }
    }

    @Override
    public int connected() {
        return opened == null ? 0 : opened.connected();
    }

    @Override
    public int asked() {
        return uploads;
    }

    @Override
    public String findings() {
        long[] files = filesLeft();
        return String.format(java.util.Locale.ROOT, "%d accepted, %d refused, %d failed; left in --dir: %d files,"
                        + " %.1f MiB", accepted.get(), refused.get(), failed.get(), files[0], files[1] / 1048576.0);
    }

    /** Regular files under the directory, and their bytes. */
    long[] filesLeft() {
        try (Stream<Path> paths = Files.walk(directory)) {
            long[] counted = new long[2];
            paths.filter(Files::isRegularFile).forEach(path -> {
                counted[0]++;
                try {
                    counted[1] += Files.size(path);
                } catch (IOException e) {
                    // Removed while counted: the server cleaning up.
                }
            });
            return counted;
        } catch (IOException | UncheckedIOException e) {
            return new long[]{-1, -1};
        }
    }

    @Override
    public void close() {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            System.err.println("hostile: could not remove " + directory + ": " + e);
        }
    }
}
