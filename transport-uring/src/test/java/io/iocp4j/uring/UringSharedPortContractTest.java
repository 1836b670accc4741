package io.iocp4j.uring;

import io.iocp4j.Transport;
import io.iocp4j.testkit.SharedPortContract;

class UringSharedPortContractTest extends SharedPortContract {
    @Override
    protected Transport transport() {
        return Transport.URING;
    }
}
