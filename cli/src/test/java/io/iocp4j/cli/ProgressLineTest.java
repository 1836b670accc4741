package io.iocp4j.cli;

import io.iocp4j.file.FileOffer;
import io.iocp4j.file.FileTransfer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ProgressLineTest {
    private static final long GIB = 1L << 30;
    private static final long SECOND = 1_000_000_000L;

    private final ProgressLine progress = new ProgressLine(new PrintStream(new ByteArrayOutputStream()), true, "send");

    @Test
    void showsTheSendersHashingThenTheStreamWithItsRateCountedFromTheOffer() {
        FileTransfer transfer = new FileTransfer(() -> { });
        assertNull(progress.line(transfer, 0), "nothing to show before the hashing starts");

        transfer.hashedUpTo(0, 4 * GIB);
        assertEquals("send hashing [....................] 0 B / 4.0 GiB   0%", progress.line(transfer, SECOND));
        transfer.hashedUpTo(GIB, 4 * GIB);
        assertEquals("send hashing [#####...............] 1.0 GiB / 4.0 GiB  25%", progress.line(transfer,
                2 * SECOND));

        // Ten seconds of hashing: they do not count in the stream's rate.
        transfer.offered(new FileOffer("big.iso", 4 * GIB, new byte[32]));
        transfer.started(GIB);
        assertEquals("send [#####...............] 1.0 GiB / 4.0 GiB  25% 0 B/s ETA --:--",
                progress.line(transfer, 10 * SECOND));
        transfer.progressed(GIB / 2);
        assertEquals("send [#######.............] 1.5 GiB / 4.0 GiB  37% 512.0 MiB/s ETA 0:05",
                progress.line(transfer, 11 * SECOND));
    }

    @Test
    void bytesStreamedBeforeTheFirstRedrawDoNotCountInTheRate() {
        FileTransfer transfer = new FileTransfer(() -> { });
        transfer.offered(new FileOffer("fast.bin", 8 * GIB, new byte[32]));
        transfer.started(0);
        // On loopback the first 2 GiB may go out before the bar looks for the first time.
        transfer.progressed(2 * GIB);
        assertEquals("send [#####...............] 2.0 GiB / 8.0 GiB  25% 0 B/s ETA --:--",
                progress.line(transfer, 5 * SECOND));
        transfer.progressed(GIB);
        assertEquals("send [#######.............] 3.0 GiB / 8.0 GiB  37% 512.0 MiB/s ETA 0:10",
                progress.line(transfer, 7 * SECOND));
    }

    @Test
    void anEmptyFileIsWholeAtOnce() {
        FileTransfer transfer = new FileTransfer(() -> { });
        transfer.hashedUpTo(0, 0);
        assertNull(progress.line(transfer, 0), "an empty file has no hashing to show");
        transfer.offered(new FileOffer("empty", 0, new byte[32]));
        assertEquals("send [####################] 0 B / 0 B 100% 0 B/s ETA --:--", progress.line(transfer, SECOND));
    }
}
