package io.iocp4j.nio2;

import io.iocp4j.Transport;
import io.iocp4j.testkit.FileDiskErrorContract;

class Nio2FileDiskErrorTest extends FileDiskErrorContract {
    @Override
    protected Transport transport() {
        return Transport.NIO2;
    }
}
