package io.iocp4j.uring;

import io.iocp4j.Transport;
import io.iocp4j.testkit.ShutdownContract;

class UringShutdownTest extends ShutdownContract {
    @Override
    protected Transport transport() {
        return Transport.URING;
    }
}
