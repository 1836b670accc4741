package io.iocp4j.uring;

import io.iocp4j.Transport;
import io.iocp4j.testkit.TimeoutContract;

class UringTimeoutContractTest extends TimeoutContract {
    @Override
    protected Transport transport() {
        return Transport.URING;
    }
}
