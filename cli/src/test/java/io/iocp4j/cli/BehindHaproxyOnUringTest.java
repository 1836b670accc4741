package io.iocp4j.cli;

import org.junit.jupiter.api.BeforeAll;

class BehindHaproxyOnUringTest extends BehindHaproxyEndToEnd {
    @BeforeAll
    static void requireIoUring() {
        IoUringAvailable.assume();
    }

    @Override
    protected String transport() {
        return "uring";
    }
}
