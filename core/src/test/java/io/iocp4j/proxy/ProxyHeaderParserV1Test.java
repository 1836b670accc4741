package io.iocp4j.proxy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.stream.Stream;

import static io.iocp4j.proxy.Feeding.reads;
import static io.iocp4j.proxy.Feeding.refuses;
import static io.iocp4j.proxy.HeaderBytes.v1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProxyHeaderParserV1Test {
    @Test
    void aTcp4LineGivesTheClientAndTheBalancerAddress() throws Exception {
        ProxyHeader header = reads(v1("PROXY TCP4 192.0.2.10 198.51.100.2 51000 443\r\n"));
        assertEquals(1, header.version());
        assertEquals(ProxyHeader.Command.PROXY, header.command());
        assertEquals(ProxyHeader.Family.TCP4, header.family());
        assertTrue(header.hasAddresses());
        assertEquals(new InetSocketAddress(InetAddress.getByName("192.0.2.10"), 51000), header.source());
        assertEquals(new InetSocketAddress(InetAddress.getByName("198.51.100.2"), 443), header.destination());
        assertTrue(header.tlvs().isEmpty());
    }

    @Test
    void aTcp6LineGivesIpv6Addresses() throws Exception {
        ProxyHeader header = reads(v1("PROXY TCP6 2001:db8::1 2001:DB8:0:0:0:0:0:2 0 65535\r\n"));
        assertEquals(ProxyHeader.Family.TCP6, header.family());
        assertEquals(new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 0), header.source());
        assertEquals(new InetSocketAddress(InetAddress.getByName("2001:db8::2"), 65535), header.destination());
    }

    @Test
    void theLongestTcp6LineIsRead() {
        String full = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
        byte[] line = v1("PROXY TCP6 " + full + " " + full + " 65535 65535\r\n");
        assertEquals(104, line.length);
        assertEquals(65535, reads(line).source().getPort());
    }

    @Test
    void anIpv4MappedTcp6AddressIsTheIpv4Client() throws Exception {
        ProxyHeader header = reads(v1("PROXY TCP6 ::ffff:c000:20a ::1 1 2\r\n"));
        assertEquals(ProxyHeader.Family.TCP6, header.family());
        assertEquals(InetAddress.getByName("192.0.2.10"), header.source().getAddress());
    }

    @Test
    void unknownNamesNoAddressesAndWhateverFollowsItIsIgnored() {
        for (String line : new String[]{"PROXY UNKNOWN\r\n", "PROXY UNKNOWN anything at all 1 2 3\r\n"}) {
            ProxyHeader header = reads(v1(line));
            assertEquals(ProxyHeader.Family.UNKNOWN, header.family());
            assertEquals(ProxyHeader.Command.PROXY, header.command());
            assertFalse(header.hasAddresses());
            assertNull(header.source());
            assertNull(header.destination());
        }
    }

    @Test
    void aLineOf107BytesIsReadAndOneOf108IsNot() {
        String unknown = "PROXY UNKNOWN ";
        byte[] longest = v1(unknown + "x".repeat(107 - unknown.length() - 2) + "\r\n");
        assertEquals(107, longest.length);
        assertEquals(ProxyHeader.Family.UNKNOWN, reads(longest).family());
        assertEquals(ProxyHeaderError.V1_TOO_LONG, refuses(v1(unknown + "x".repeat(108 - unknown.length() - 2)
                + "\r\n")));
    }

    @Test
    void aLineWithoutCrlfIsRefusedAt107BytesWithoutWaitingForMore() {
        byte[] endless = v1("PROXY TCP4 " + "1".repeat(200));
        ProxyHeaderParser parser = new ProxyHeaderParser();
        ByteBuffer buffer = ByteBuffer.wrap(endless);
        assertEquals(ProxyHeaderParser.Status.FAILED, parser.feed(buffer));
        assertEquals(ProxyHeaderError.V1_TOO_LONG, parser.error());
        assertEquals(107, buffer.position(), "it read no further than a line may be long");
    }

    @Test
    void aBareLfOrACrWithoutLfIsRefused() {
        assertEquals(ProxyHeaderError.V1_MISSING_CRLF, refuses(v1("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n")));
        assertEquals(ProxyHeaderError.V1_MISSING_CRLF, refuses(v1("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\r\n")));
        assertEquals(ProxyHeaderError.V1_MISSING_CRLF, refuses(v1("PROXY TCP4 1.2.3.4\r 5.6.7.8 1 2\r\n")));
        assertEquals(ProxyHeaderError.V1_MISSING_CRLF, refuses(v1("PROXY \n")));
    }

    @Test
    void aBadSignatureIsRefusedAtItsFirstWrongByte() {
        ProxyHeaderParser parser = new ProxyHeaderParser();
        assertEquals(ProxyHeaderParser.Status.FAILED, parser.feed(ByteBuffer.wrap(v1("G"))));
        assertEquals(ProxyHeaderError.BAD_SIGNATURE, parser.error());
    }

    /** Lines broken in their signature, protocol or fields, each with the reason it must be refused for. */
    static Stream<Arguments> malformedLines() {
        return Stream.of(
                refusal(ProxyHeaderError.BAD_SIGNATURE, "GET / HTTP/1.1\r\n"),
                refusal(ProxyHeaderError.BAD_SIGNATURE, "proxy TCP4 1.2.3.4 5.6.7.8 1 2\r\n"),
                refusal(ProxyHeaderError.BAD_SIGNATURE, "PROXX TCP4\r\n"),
                refusal(ProxyHeaderError.BAD_SIGNATURE, "PROXY\tTCP4 1.2.3.4 5.6.7.8 1 2\r\n"),
                refusal(ProxyHeaderError.BAD_SIGNATURE, "\r\n\r\nPROXY"),
                refusal(ProxyHeaderError.V1_BAD_PROTOCOL, "PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n"),
                refusal(ProxyHeaderError.V1_BAD_PROTOCOL, "PROXY tcp4 1.2.3.4 5.6.7.8 1 2\r\n"),
                refusal(ProxyHeaderError.V1_BAD_PROTOCOL, "PROXY UDP4 1.2.3.4 5.6.7.8 1 2\r\n"),
                refusal(ProxyHeaderError.V1_BAD_PROTOCOL, "PROXY \r\n"),
                refusal(ProxyHeaderError.V1_BAD_PROTOCOL, "PROXY  TCP4 1.2.3.4 5.6.7.8 1 2\r\n"),
                refusal(ProxyHeaderError.V1_BAD_PROTOCOL, "PROXY UNKNOWNX\r\n"),
                refusal(ProxyHeaderError.V1_BAD_FORMAT, "PROXY TCP4\r\n"),
                refusal(ProxyHeaderError.V1_BAD_FORMAT, "PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n"),
                refusal(ProxyHeaderError.V1_BAD_FORMAT, "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 3\r\n"),
                refusal(ProxyHeaderError.V1_BAD_FORMAT, "PROXY TCP4 1.2.3.4  5.6.7.8 1 2\r\n"),
                refusal(ProxyHeaderError.V1_BAD_FORMAT, "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 \r\n"),
                refusal(ProxyHeaderError.V1_BAD_FORMAT, "PROXY TCP4 1.2.3.4 5.6.7.8 1 \r\n"));
    }

    private static Arguments refusal(ProxyHeaderError reason, String line) {
        return Arguments.of(reason, line);
    }

    @ParameterizedTest
    @MethodSource("malformedLines")
    void aLineBrokenInItsSignatureProtocolOrFieldsIsRefusedForThatReason(ProxyHeaderError reason, String line) {
        assertEquals(reason, refuses(v1(line)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.256", "01.2.3.4", "1.2.3.00", "1.2.3.a",
            "1..3.4", ".1.2.3", "1.2.3.", "1111.2.3.4", "::1", "1.2.3.-4", "localhost"})
    void aTcp4AddressThatIsNotAPlainDottedQuadIsRefused(String address) {
        assertEquals(ProxyHeaderError.V1_BAD_ADDRESS, refuses(v1("PROXY TCP4 " + address + " 5.6.7.8 1 2\r\n")));
        assertEquals(ProxyHeaderError.V1_BAD_ADDRESS, refuses(v1("PROXY TCP4 5.6.7.8 " + address + " 1 2\r\n")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3.4", "::ffff:1.2.3.4", "fe80::1%1", "[::1]", ":::", "1:2:3:4:5:6:7:8:9", "g::1",
            "2001:db8::1::2", "12345::1", "::fffff"})
    void aTcp6AddressThatIsNotAPlainIpv6LiteralIsRefused(String address) {
        assertEquals(ProxyHeaderError.V1_BAD_ADDRESS, refuses(v1("PROXY TCP6 " + address + " ::1 1 2\r\n")));
        assertEquals(ProxyHeaderError.V1_BAD_ADDRESS, refuses(v1("PROXY TCP6 ::1 " + address + " 1 2\r\n")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"65536", "99999", "123456", "01", "00", "-1", "+1", "1a", "0x10"})
    void aPortThatIsNotADecimalFrom0To65535WithoutLeadingZerosIsRefused(String port) {
        assertEquals(ProxyHeaderError.V1_BAD_PORT, refuses(v1("PROXY TCP4 1.2.3.4 5.6.7.8 " + port + " 2\r\n")));
        assertEquals(ProxyHeaderError.V1_BAD_PORT, refuses(v1("PROXY TCP4 1.2.3.4 5.6.7.8 2 " + port + "\r\n")));
    }

    @Test
    void aFinishedParserRefusesMoreBytes() {
        ProxyHeaderParser parser = new ProxyHeaderParser();
        assertEquals(ProxyHeaderParser.Status.DONE, parser.feed(ByteBuffer.wrap(v1("PROXY UNKNOWN\r\n"))));
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> parser.feed(ByteBuffer.wrap(v1("more"))));
        assertTrue(thrown.getMessage().contains("status=DONE"), thrown.getMessage());
    }

    @Test
    void aDirectBufferIsReadFromItsPositionAndLeftAtTheClientsFirstByte() {
        byte[] line = v1("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\n");
        ByteBuffer direct = ByteBuffer.allocateDirect(3 + line.length + Feeding.PAYLOAD.length);
        direct.put(new byte[]{9, 9, 9}).put(line).put(Feeding.PAYLOAD).flip().position(3);
        ProxyHeaderParser parser = new ProxyHeaderParser();
        assertEquals(ProxyHeaderParser.Status.DONE, parser.feed(direct));
        assertEquals(3 + line.length, direct.position());
        assertEquals('G', direct.get());
    }
}
