package io.iocp4j.nio2;

import io.iocp4j.Transport;
import io.iocp4j.testkit.FileTransferContract;

class Nio2FileTransferTest extends FileTransferContract {
    @Override
    protected Transport transport() {
        return Transport.NIO2;
    }
}
