package io.iocp4j.uring;

import io.iocp4j.Transport;
import io.iocp4j.testkit.TlsChaosContract;

class UringTlsChaosContractTest extends TlsChaosContract {
    @Override
    protected Transport transport() {
        return Transport.URING;
    }
}
