package io.iocp4j.uring;

import io.iocp4j.Transport;
import io.iocp4j.testkit.FileTransferContract;

class UringFileTransferTest extends FileTransferContract {
    @Override
    protected Transport transport() {
        return Transport.URING;
    }
}
