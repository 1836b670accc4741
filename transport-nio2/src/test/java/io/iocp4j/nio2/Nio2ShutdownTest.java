package io.iocp4j.nio2;

import io.iocp4j.Transport;
import io.iocp4j.testkit.ShutdownContract;

class Nio2ShutdownTest extends ShutdownContract {
    @Override
    protected Transport transport() {
        return Transport.NIO2;
    }
}
