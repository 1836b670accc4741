package io.iocp4j.cli;

import io.iocp4j.Connection;
import io.iocp4j.Handler;

import java.nio.ByteBuffer;

/** The raw echo port: every byte goes back unchanged. */
final class EchoHandler implements Handler {
    @Override
    public void onPacket(Connection connection, ByteBuffer packet) {
        connection.send(packet);
    }
}
