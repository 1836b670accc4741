package io.iocp4j.cli;

import org.junit.jupiter.api.BeforeAll;

class TlsDemoOnUringTest extends TlsDemoEndToEnd {
    @BeforeAll
    static void requireIoUring() {
        IoUringAvailable.assume();
    }

    @Override
    protected String transport() {
        return "uring";
    }
}
