package io.iocp4j.uring;

import io.iocp4j.Transport;
import io.iocp4j.testkit.BalancingContract;

class UringBalancingContractTest extends BalancingContract {
    @Override
    protected Transport transport() {
        return Transport.URING;
    }
}
