package io.iocp4j.bench.load;

import io.iocp4j.bench.tls.BenchTls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;

/**
 * A TLS connection of the generator until its handshake is done; then the flow it carries takes over its selection
 * key. {@code startedNanos} is when its connect began: the handshakes workload counts its round trip from there.
 */
record Handshake(TlsWire wire, Flow flow, long startedNanos) {
    /** Advances the handshake; true once it is done, its session checked and the flow attached to the key. */
    boolean step(SelectionKey key, ByteBuffer scratch) throws IOException {
        if (!wire.handshake(scratch)) {
            key.interestOps(wire.hasPendingOutput() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE
                    : SelectionKey.OP_READ);
            return false;
        }
        BenchTls.requireAgreed(wire.session());
        key.interestOps(SelectionKey.OP_READ);
        key.attach(flow);
        return true;
    }
}
