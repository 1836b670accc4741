package io.iocp4j.proxy;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.iocp4j.proxy.Feeding.reads;
import static io.iocp4j.proxy.Feeding.refuses;
import static io.iocp4j.proxy.HeaderBytes.v2;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProxyHeaderParserV2Test {
    private static final int PROXY = 0x21;
    private static final int LOCAL = 0x20;
    private static final int TCP4 = 0x11;
    private static final int TCP6 = 0x21;

    private static HeaderBytes tcp4() {
        return v2(PROXY, TCP4).bytes(192, 0, 2, 10).bytes(198, 51, 100, 2).port(51000).port(443);
    }

    private static HeaderBytes tcp6() {
        return v2(PROXY, TCP6).bytes(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)
                .bytes(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2).port(40000).port(8443);
    }

    @Test
    void aTcp4ProxyCommandGivesTheAddressesAndNoTlvs() throws Exception {
        ProxyHeader header = reads(tcp4().build());
        assertEquals(2, header.version());
        assertEquals(ProxyHeader.Command.PROXY, header.command());
        assertEquals(ProxyHeader.Family.TCP4, header.family());
        assertEquals(new InetSocketAddress(InetAddress.getByName("192.0.2.10"), 51000), header.source());
        assertEquals(new InetSocketAddress(InetAddress.getByName("198.51.100.2"), 443), header.destination());
        assertTrue(header.tlvs().isEmpty());
        assertTrue(header.alpn().isEmpty());
        assertTrue(header.ssl().isEmpty());
    }

    @Test
    void aTcp6ProxyCommandGivesIpv6Addresses() throws Exception {
        ProxyHeader header = reads(tcp6().build());
        assertEquals(ProxyHeader.Family.TCP6, header.family());
        assertEquals(new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 40000), header.source());
        assertEquals(new InetSocketAddress(InetAddress.getByName("2001:db8::2"), 8443), header.destination());
    }

    @Test
    void tlvsAreKeptInOrderAndReadableByType() {
        byte[] id = new byte[128];
        for (int i = 0; i < id.length; i++) {
            id[i] = (byte) (i * 7);
        }
        byte[] ssl = sslValue(0x07, 0, List.of(new ProxyTlv(ProxyTlv.SSL_VERSION, ascii("TLSv1.3")),
                new ProxyTlv(ProxyTlv.SSL_CN, ascii("client.example")),
                new ProxyTlv(ProxyTlv.SSL_CIPHER, ascii("TLS_AES_128_GCM_SHA256")),
                new ProxyTlv(ProxyTlv.SSL_SIG_ALG, ascii("RSA-SHA256")),
                new ProxyTlv(ProxyTlv.SSL_KEY_ALG, ascii("RSA2048"))));
        for (HeaderBytes bytes : List.of(tcp4(), tcp6())) {
            ProxyHeader header = reads(bytes.tlv(ProxyTlv.ALPN, "h2").tlv(ProxyTlv.AUTHORITY, "bücher.example")
                    .tlv(ProxyTlv.UNIQUE_ID, id).tlv(ProxyTlv.NOOP, new byte[3]).tlv(0xE0, new byte[]{1, 2})
                    .tlv(ProxyTlv.SSL, ssl).crc().build());
            assertEquals("h2", header.alpn().orElseThrow());
            assertEquals("bücher.example", header.authority().orElseThrow());
            assertArrayEquals(id, header.uniqueId().orElseThrow());
            ProxySsl sslInfo = header.ssl().orElseThrow();
            assertEquals(0x07, sslInfo.clientFlags());
            assertTrue(sslInfo.clientUsedSsl());
            assertEquals(0, sslInfo.verify());
            assertTrue(sslInfo.clientCertificateVerified());
            assertEquals("TLSv1.3", sslInfo.version().orElseThrow());
            assertEquals("client.example", sslInfo.commonName().orElseThrow());
            assertEquals("TLS_AES_128_GCM_SHA256", sslInfo.cipher().orElseThrow());
            assertEquals("RSA-SHA256", sslInfo.signatureAlgorithm().orElseThrow());
            assertEquals("RSA2048", sslInfo.keyAlgorithm().orElseThrow());
            assertEquals(5, sslInfo.subTlvs().size());
            assertEquals(List.of(ProxyTlv.ALPN, ProxyTlv.AUTHORITY, ProxyTlv.UNIQUE_ID, ProxyTlv.NOOP, 0xE0,
                    ProxyTlv.SSL, ProxyTlv.CRC32C), header.tlvs().stream().map(ProxyTlv::type).toList());
            assertEquals(new ProxyTlv(0xE0, new byte[]{1, 2}), header.tlvs().get(4));
        }
    }

    @Test
    void anSslTlvWithoutAVerifiedCertificateSaysSo() {
        ProxySsl ssl = reads(tcp4().tlv(ProxyTlv.SSL, sslValue(0x01, 0x12345678, List.of())).build())
                .ssl().orElseThrow();
        assertTrue(ssl.clientUsedSsl());
        assertEquals(0x12345678, ssl.verify());
        assertFalse(ssl.clientCertificateVerified());
        assertTrue(ssl.version().isEmpty());
    }

    @Test
    void aLocalCommandIsTheBalancersOwnConnectionWithNoAddresses() {
        for (byte[] local : List.of(v2(LOCAL, 0x00).build(), v2(LOCAL, TCP4).bytes(1, 2, 3, 4, 5, 6, 7, 8, 0, 1, 0, 2)
                .build(), v2(LOCAL, 0x31).zeros(216).build(), v2(LOCAL, 0x00).tlv(0xE1, "x").build())) {
            ProxyHeader header = reads(local);
            assertEquals(ProxyHeader.Command.LOCAL, header.command());
            assertEquals(ProxyHeader.Family.UNKNOWN, header.family());
            assertFalse(header.hasAddresses());
            assertTrue(header.tlvs().isEmpty());
        }
    }

    @Test
    void aProxyCommandOfUnspecifiedFamilyOrProtocolNamesNoAddresses() {
        for (byte[] unspec : List.of(v2(PROXY, 0x00).build(), v2(PROXY, 0x00).bytes(1, 2, 3).build(),
                v2(PROXY, 0x10).bytes(1, 2, 3, 4, 5, 6, 7, 8, 0, 1, 0, 2).build(), v2(PROXY, 0x01).build())) {
            ProxyHeader header = reads(unspec);
            assertEquals(ProxyHeader.Command.PROXY, header.command());
            assertEquals(ProxyHeader.Family.UNKNOWN, header.family());
            assertFalse(header.hasAddresses());
        }
    }

    @Test
    void eachSignatureByteMustMatch() {
        byte[] good = tcp4().build();
        for (int at = 0; at < 12; at++) {
            byte[] bad = good.clone();
            bad[at] ^= 0x20;
            assertEquals(ProxyHeaderError.BAD_SIGNATURE, refuses(bad), "byte " + at);
        }
    }

    @Test
    void aVersionOtherThan2IsRefused() {
        for (int version : new int[]{0x0, 0x1, 0x3, 0xF}) {
            assertEquals(ProxyHeaderError.V2_BAD_VERSION, refuses(v2(version << 4 | 1, TCP4).zeros(12)
                    .build()));
        }
    }

    @Test
    void aCommandOtherThanLocalOrProxyIsRefused() {
        for (int command = 2; command < 16; command++) {
            assertEquals(ProxyHeaderError.V2_BAD_COMMAND, refuses(v2(0x20 | command, TCP4).zeros(12)
                    .build()));
        }
    }

    @Test
    void aFamilyOrProtocolOutOfTheSpecificationIsRefused() {
        for (int family = 4; family < 16; family++) {
            assertEquals(ProxyHeaderError.V2_BAD_FAMILY, refuses(v2(PROXY, family << 4 | 1).build()));
        }
        for (int protocol = 3; protocol < 16; protocol++) {
            assertEquals(ProxyHeaderError.V2_BAD_PROTOCOL, refuses(v2(PROXY, 0x10 | protocol).build()));
            assertEquals(ProxyHeaderError.V2_BAD_PROTOCOL, refuses(v2(LOCAL, protocol).build()));
        }
    }

    @Test
    void unixSocketsAndDatagramsAreRefusedAsUnsupported() {
        assertEquals(ProxyHeaderError.V2_UNSUPPORTED, refuses(v2(PROXY, 0x31).zeros(216).build()));
        assertEquals(ProxyHeaderError.V2_UNSUPPORTED, refuses(v2(PROXY, 0x32).zeros(216).build()));
        assertEquals(ProxyHeaderError.V2_UNSUPPORTED, refuses(v2(PROXY, 0x12).zeros(12).build()));
        assertEquals(ProxyHeaderError.V2_UNSUPPORTED, refuses(v2(PROXY, 0x22).zeros(36).build()));
    }

    @Test
    void aLengthShorterThanTheAddressBlockIsRefused() {
        assertEquals(ProxyHeaderError.V2_LENGTH_TOO_SHORT, refuses(v2(PROXY, TCP4).zeros(11).build()));
        assertEquals(ProxyHeaderError.V2_LENGTH_TOO_SHORT, refuses(v2(PROXY, TCP6).zeros(35).build()));
        assertEquals(ProxyHeaderError.V2_LENGTH_TOO_SHORT, refuses(v2(PROXY, TCP4).build()));
    }

    @Test
    void aLengthOverTheTlvAllowanceIsRefusedFromTheFixedPartAlone() {
        byte[] header = tcp4().tlv(0xE0, new byte[97]).build();
        assertEquals(16 + 12 + 100, header.length);
        assertEquals(ProxyHeader.Family.TCP4, reads(header, 100).family());
        assertEquals(ProxyHeaderError.V2_TOO_LONG, refuses(header, 99));
        assertEquals(ProxyHeaderError.V2_TOO_LONG, refuses(v2(PROXY, TCP4).zeros(12).lengthField(0xFFFF)
                .build()));

        ProxyHeaderParser parser = new ProxyHeaderParser(99);
        ByteBuffer fixedPart = ByteBuffer.wrap(header, 0, 16);
        assertEquals(ProxyHeaderParser.Status.FAILED, parser.feed(fixedPart));
        assertTrue(parser.errorMessage().startsWith("length 112 "), parser.errorMessage());
    }

    @Test
    void tlvsThatRunPastTheHeaderAreRefused() {
        assertEquals(ProxyHeaderError.V2_BAD_TLV, refuses(tcp4().bytes(0xE0, 0).build()));
        assertEquals(ProxyHeaderError.V2_BAD_TLV, refuses(tcp4().bytes(0xE0, 0, 3, 1, 2).build()));
        assertEquals(ProxyHeaderError.V2_BAD_TLV, refuses(tcp4().tlv(ProxyTlv.ALPN, "h2").bytes(0x01).build()));
        assertEquals(ProxyHeaderError.V2_BAD_TLV, refuses(tcp6().bytes(0x02, 0xFF, 0xFF, 'a').build()));
    }

    @Test
    void anSslTlvTooShortOrWithASubTlvPastItsEndIsRefused() {
        assertEquals(ProxyHeaderError.V2_BAD_TLV, refuses(tcp4().tlv(ProxyTlv.SSL, new byte[4]).build()));
        byte[] overrun = {1, 0, 0, 0, 0, ProxyTlv.SSL_VERSION, 0, 9, 'T', 'L', 'S'};
        assertEquals(ProxyHeaderError.V2_BAD_TLV, refuses(tcp4().tlv(ProxyTlv.SSL, overrun).build()));
    }

    @Test
    void aUniqueIdOver128BytesIsRefused() {
        assertEquals(ProxyHeaderError.V2_BAD_TLV, refuses(tcp4().tlv(ProxyTlv.UNIQUE_ID, new byte[129]).build()));
    }

    @Test
    void aChecksumThatDoesNotMatchIsRefused() {
        byte[] header = tcp4().tlv(ProxyTlv.ALPN, "h2").crc().build();
        reads(header);
        byte[] changedAddress = header.clone();
        changedAddress[16] ^= 1;
        assertEquals(ProxyHeaderError.V2_BAD_CHECKSUM, refuses(changedAddress));
        byte[] changedCrc = header.clone();
        changedCrc[header.length - 1] ^= 1;
        assertEquals(ProxyHeaderError.V2_BAD_CHECKSUM, refuses(changedCrc));
        assertEquals(ProxyHeaderError.V2_BAD_TLV, refuses(tcp4().bytes(0x03, 0, 3, 1, 2, 3).build()));
    }

    @Test
    void aTlvAllowanceOutOfRangeIsABug() {
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> new ProxyHeaderParser(-1));
        assertTrue(negative.getMessage().startsWith("maxTlvBytes=-1"), negative.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new ProxyHeaderParser(ProxyHeaderParser.MAX_TLV_BYTES_LIMIT + 1));
    }

    private static byte[] sslValue(int flags, int verify, List<ProxyTlv> subTlvs) {
        HeaderBytes value = v2(0, 0).bytes(flags, verify >>> 24, (verify >>> 16) & 0xFF, (verify >>> 8) & 0xFF,
                verify & 0xFF);
        for (ProxyTlv tlv : subTlvs) {
            value.tlv(tlv.type(), tlv.value());
        }
        byte[] built = value.build();
        return java.util.Arrays.copyOfRange(built, 16, built.length);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
