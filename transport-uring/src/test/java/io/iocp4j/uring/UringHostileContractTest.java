package io.iocp4j.uring;

import io.iocp4j.Transport;
import io.iocp4j.testkit.HostileContract;

class UringHostileContractTest extends HostileContract {
    @Override
    protected Transport transport() {
        return Transport.URING;
    }
}
