package io.iocp4j.uring;

import io.iocp4j.Transport;
import io.iocp4j.testkit.FileOnWorkersContract;

class UringFileOnWorkersTest extends FileOnWorkersContract {
    @Override
    protected Transport transport() {
        return Transport.URING;
    }
}
