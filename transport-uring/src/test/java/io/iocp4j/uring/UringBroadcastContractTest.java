package io.iocp4j.uring;

import io.iocp4j.Transport;
import io.iocp4j.testkit.BroadcastContract;

class UringBroadcastContractTest extends BroadcastContract {
    @Override
    protected Transport transport() {
        return Transport.URING;
    }
}
