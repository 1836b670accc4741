package io.iocp4j.cli;

/** The message types of the iocp4j wire protocol, version 1: the first byte after a frame's length. */
final class MessageType {
    static final int TEXT = 0x01;
    static final int PING = 0x02;
    static final int PONG = 0x03;
    static final int FILE_OFFER = 0x10;
    static final int FILE_ACCEPT = 0x11;
    static final int FILE_REJECT = 0x12;
    static final int FILE_DONE = 0x13;
    static final int FILE_GET = 0x14;
    static final int FILE_CANCEL = 0x15;
    static final int ERROR = 0x7F;

    /** The longest PING or PONG body. */
    static final int MAX_PING_BODY = 64;

    private MessageType() {
    }

    /** {@code 0x55}: a type byte as the protocol's tables write it. */
    static String hex(int type) {
        return String.format("0x%02X", type);
    }
}
