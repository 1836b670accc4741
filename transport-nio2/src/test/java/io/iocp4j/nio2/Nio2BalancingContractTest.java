package io.iocp4j.nio2;

import io.iocp4j.Transport;
import io.iocp4j.testkit.BalancingContract;

class Nio2BalancingContractTest extends BalancingContract {
    @Override
    protected Transport transport() {
        return Transport.NIO2;
    }
}
