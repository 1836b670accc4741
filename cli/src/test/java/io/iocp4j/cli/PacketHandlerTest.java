package io.iocp4j.cli;

import io.iocp4j.frame.FrameError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packet port's decisions, one message at a time, without sockets. */
class PacketHandlerTest {
    private final PacketHandler handler = new PacketHandler(1 << 20, null);
    private final RecordingConnection connection = new RecordingConnection();

    @Test
    void echoesTextWithTheIdenticalBody() {
        byte[] body = {'h', 'i', (byte) 0xFF, 0};
        receive(MessageType.TEXT, body);
        assertArrayEquals(message(MessageType.TEXT, body), connection.onlySent());
        assertTrue(connection.isOpen());
    }

    @Test
    void echoesTheBytesOfAPacketThatIsAViewIntoALargerBuffer() {
        ByteBuffer received = ByteBuffer.wrap(new byte[]{9, 9, MessageType.TEXT, 'o', 'k', 9});
        handler.onPacket(connection, received.slice(2, 3));
        assertArrayEquals(message(MessageType.TEXT, new byte[]{'o', 'k'}), connection.onlySent());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 8, 64})
    void answersPingWithPongCarryingTheSameBody(int size) {
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) 7);
        receive(MessageType.PING, body);
        assertArrayEquals(message(MessageType.PONG, body), connection.onlySent());
        assertTrue(connection.isOpen());
    }

    @Test
    void sendsNothingForPong() {
        receive(MessageType.PONG, new byte[64]);
        assertTrue(connection.sent.isEmpty());
        assertTrue(connection.isOpen());
    }

    @Test
    void refusesPingAndPongBodiesOverSixtyFourBytes() {
        receive(MessageType.PING, new byte[65]);
        assertClosedWithError(ErrorCode.MALFORMED_BODY);
        RecordingConnection other = new RecordingConnection();
        handler.onPacket(other, ByteBuffer.wrap(message(MessageType.PONG, new byte[65])));
        assertEquals(ErrorCode.MALFORMED_BODY.code, ByteBuffer.wrap(other.onlySent(), 1, 2).getShort());
    }

    @Test
    void answersUnknownTypesWithErrorThree() {
        receive(0x55, new byte[0]);
        assertClosedWithError(ErrorCode.UNKNOWN_TYPE);
    }

    @Test
    void answersAnErrorFromAClientWithErrorFiveAndAMalformedOneWithErrorFour() {
        receive(MessageType.ERROR, new byte[]{0, 3});
        assertClosedWithError(ErrorCode.UNEXPECTED);
        RecordingConnection malformed = new RecordingConnection();
        handler.onPacket(malformed, ByteBuffer.wrap(message(MessageType.ERROR, new byte[1])));
        assertEquals(ErrorCode.MALFORMED_BODY.code, ByteBuffer.wrap(malformed.onlySent(), 1, 2).getShort());
        assertTrue(malformed.closedAfterFlush);
    }

    @Test
    void answersFrameErrorsWithErrorOneAndTwo() {
        handler.onFrameError(connection, FrameError.TOO_LARGE);
        assertClosedWithError(ErrorCode.FRAME_TOO_LARGE);
        RecordingConnection empty = new RecordingConnection();
        handler.onFrameError(empty, FrameError.EMPTY);
        assertEquals(ErrorCode.EMPTY_FRAME.code, ByteBuffer.wrap(empty.onlySent(), 1, 2).getShort());
        assertTrue(empty.closedAfterFlush);
    }

    @Test
    void saysItIsShuttingDown() {
        handler.onShutdown(connection);
        byte[] error = connection.onlySent();
        assertEquals(MessageType.ERROR, error[0]);
        assertEquals(ErrorCode.SHUTTING_DOWN.code, ByteBuffer.wrap(error, 1, 2).getShort());
    }

    private void receive(int type, byte[] body) {
        handler.onPacket(connection, ByteBuffer.wrap(message(type, body)));
    }

    private void assertClosedWithError(ErrorCode code) {
        byte[] error = connection.onlySent();
        assertEquals(MessageType.ERROR, error[0]);
        assertEquals(code.code, ByteBuffer.wrap(error, 1, 2).getShort());
        assertTrue(connection.closedAfterFlush, "closes after the ERROR is written");
        assertFalse(connection.closed, "does not drop the ERROR by closing at once");
    }

    private static byte[] message(int type, byte[] body) {
        return ByteBuffer.allocate(1 + body.length).put((byte) type).put(body).array();
    }
}
