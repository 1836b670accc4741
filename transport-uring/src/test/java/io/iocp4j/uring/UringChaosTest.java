package io.iocp4j.uring;

import io.iocp4j.Transport;
import io.iocp4j.testkit.ChaosContract;

class UringChaosTest extends ChaosContract {
    @Override
    protected Transport transport() {
        return Transport.URING;
    }
}
