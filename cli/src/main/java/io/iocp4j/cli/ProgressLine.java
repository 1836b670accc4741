package io.iocp4j.cli;

import io.iocp4j.file.FileOffer;
import io.iocp4j.file.FileTransfer;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows a transfer's progress: on a terminal, one line redrawn in place, first the sender's hashing of its file
 * (bytes and percentage), then the stream (bytes, percentage, rate and time left); elsewhere (a pipe, a log)
 * nothing until the one summary line at the end.
 */
final class ProgressLine {
    private static final long REDRAW_MILLIS = 200;

    private final PrintStream out;
    private final boolean terminal;
    private final String verb;
    private final long startNanos = System.nanoTime();
    private int lastWidth;
    /**
     * When the offer was first seen, and how many bytes had streamed by then: the rate counts what moved after that
     * moment, not the sender's hashing, and not bytes sent before the first redraw (which, divided by no time at
     * all, showed tens of GiB/s).
     */
    private long streamStartNanos;
    private long streamStartBytes;

    ProgressLine(PrintStream out, boolean terminal, String verb) {
        this.out = out;
        this.terminal = terminal;
        this.verb = verb;
    }

    /** Waits for the transfer to end, redrawing the line meanwhile on a terminal. */
    void follow(FileTransfer transfer) throws InterruptedException {
        while (!transfer.result().isDone()) {
            if (terminal) {
                draw(line(transfer, System.nanoTime()));
            }
            try {
                transfer.result().get(REDRAW_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // Done or not yet: the loop looks again.
            }
        }
        if (terminal && lastWidth > 0) {
            out.print("\r" + " ".repeat(lastWidth) + "\r");
            out.flush();
        }
    }

    private void draw(String line) {
        if (line == null) {
            return;
        }
        out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
        out.flush();
        lastWidth = line.length();
    }

    /**
     * The progress line at {@code now}: the sender hashing its file before the offer, then the stream, whose rate
     * and time left count from when the offer was first seen; null while there is nothing to show yet.
     */
    String line(FileTransfer transfer, long now) {
        FileOffer offer = transfer.offer();
        if (offer == null) {
            long total = transfer.hashTotal();
            if (total <= 0) {
                return null;
            }
            long hashed = transfer.hashed();
            return String.format(Locale.ROOT, "%s hashing %s %s / %s %3d%%", verb, bar(hashed, total), bytes(hashed),
                    bytes(total), (int) (hashed * 100 / total));
        }
        if (streamStartNanos == 0) {
            streamStartNanos = now;
            streamStartBytes = transfer.transferred();
        }
        long size = offer.size();
        long done = transfer.offset() + transfer.transferred();
        double seconds = Math.max(1e-3, (now - streamStartNanos) / 1e9);
        double rate = (transfer.transferred() - streamStartBytes) / seconds;
        String eta = rate <= 0 ? "--:--" : clock((size - done) / rate);
        return String.format(Locale.ROOT, "%s %s %s / %s %3d%% %s/s ETA %s", verb, bar(done, size), bytes(done),
                bytes(size), size == 0 ? 100 : (int) (done * 100 / size), bytes((long) rate), eta);
    }

    /** The one line that ends a successful transfer, on a terminal or not. */
    String summary(FileTransfer transfer, String what) {
        double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
        long moved = transfer.transferred();
        String resumed = transfer.offset() > 0 ? ", resumed at " + bytes(transfer.offset()) : "";
        return String.format(Locale.ROOT, "%s: %s in %.1f s (%s/s)%s, SHA-256 verified", what,
                bytes(transfer.offer().size()), seconds, bytes((long) (moved / seconds)), resumed);
    }

    private static String bar(long done, long size) {
        int width = 20;
        int filled = size == 0 ? width : (int) (done * width / size);
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
    }

    static String bytes(long count) {
        if (count < 1024) {
            return count + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = count;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    private static String clock(double seconds) {
        long whole = (long) Math.ceil(seconds);
        return String.format(Locale.ROOT, "%d:%02d", whole / 60, whole % 60);
    }
}
