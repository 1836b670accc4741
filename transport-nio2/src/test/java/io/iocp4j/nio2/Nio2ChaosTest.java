package io.iocp4j.nio2;

import io.iocp4j.Transport;
import io.iocp4j.testkit.ChaosContract;

class Nio2ChaosTest extends ChaosContract {
    @Override
    protected Transport transport() {
        return Transport.NIO2;
    }
}
