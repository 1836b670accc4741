package io.iocp4j.uring;

import io.iocp4j.Transport;
import io.iocp4j.testkit.TransportContract;

class UringContractTest extends TransportContract {
    @Override
    protected Transport transport() {
        return Transport.URING;
    }
}
