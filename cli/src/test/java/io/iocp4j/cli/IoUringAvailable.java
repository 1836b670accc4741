package io.iocp4j.cli;

import io.iocp4j.Transport;
import org.junit.jupiter.api.Assumptions;

/** For the io_uring subclasses of the end-to-end suites: they are skipped, saying why, where io_uring cannot run. */
final class IoUringAvailable {
    private IoUringAvailable() {
    }

    static void assume() {
        Assumptions.assumeTrue(Transport.URING.unavailableReason().isEmpty(),
                () -> "io_uring unavailable: " + Transport.URING.unavailableReason().orElse(""));
    }
}
