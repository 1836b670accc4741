package io.iocp4j.nio2;

import io.iocp4j.Transport;
import io.iocp4j.testkit.FileOnWorkersContract;

class Nio2FileOnWorkersTest extends FileOnWorkersContract {
    @Override
    protected Transport transport() {
        return Transport.NIO2;
    }
}
