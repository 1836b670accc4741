package io.iocp4j.cli;

import io.iocp4j.Transport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

class SharedPortProcessesOnUringTest extends SharedPortProcessesEndToEnd {
    @BeforeAll
    static void requireIoUring() {
        Assumptions.assumeTrue(Transport.URING.unavailableReason().isEmpty(),
                () -> "io_uring unavailable: " + Transport.URING.unavailableReason().orElse(""));
    }

    @Override
    protected String transport() {
        return "uring";
    }
}
