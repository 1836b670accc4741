package io.iocp4j;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.UnknownHostException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CidrRangeTest {
    @Test
    void anIpv4RangeHoldsItsAddressesAndNoOthers() throws UnknownHostException {
        CidrRange range = CidrRange.parse("10.1.0.0/16");
        assertTrue(range.contains(address("10.1.0.0")));
        assertTrue(range.contains(address("10.1.255.255")));
        assertFalse(range.contains(address("10.2.0.0")));
        assertFalse(range.contains(address("10.0.255.255")));
        assertEquals("10.1.0.0/16", range.toString());
        assertFalse(range.isIpv6());
    }

    @Test
    void prefixesThatDoNotEndOnAByteBoundaryCompareTheirLeadingBits() throws UnknownHostException {
        CidrRange range = CidrRange.parse("192.168.1.64/27");
        assertTrue(range.contains(address("192.168.1.64")));
        assertTrue(range.contains(address("192.168.1.95")));
        assertFalse(range.contains(address("192.168.1.96")));
        assertFalse(range.contains(address("192.168.1.63")));
    }

    @Test
    void aBareAddressIsARangeOfOne() throws UnknownHostException {
        CidrRange one = CidrRange.parse(" 127.0.0.2 ");
        assertEquals(32, one.prefixLength());
        assertTrue(one.contains(address("127.0.0.2")));
        assertFalse(one.contains(address("127.0.0.3")));
        assertEquals(one, CidrRange.of(address("127.0.0.2")));
    }

    @Test
    void zeroPrefixHoldsEveryAddressOfItsFamilyOnly() throws UnknownHostException {
        assertTrue(CidrRange.parse("0.0.0.0/0").contains(address("203.0.113.9")));
        assertFalse(CidrRange.parse("0.0.0.0/0").contains(address("::1")));
        assertTrue(CidrRange.parse("::/0").contains(address("2001:db8::1")));
        assertFalse(CidrRange.parse("::/0").contains(address("10.0.0.1")));
    }

    @Test
    void anIpv6RangeHoldsItsAddresses() throws UnknownHostException {
        CidrRange range = CidrRange.parse("2001:db8::/32");
        assertTrue(range.isIpv6());
        assertTrue(range.contains(address("2001:db8:ffff::1")));
        assertFalse(range.contains(address("2001:db9::1")));
        assertTrue(CidrRange.parse("[::1]").contains(address("::1")));
        assertTrue(CidrRange.parse("fe80::/10").contains(address("febf::1")));
        assertFalse(CidrRange.parse("fe80::/10").contains(address("fec0::1")));
        assertEquals(CidrRange.parse("2001:0db8:0:0::/32"), range);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "localhost", "example.com", "10.0.0", "10.0.0.256", "1.2.3.4.5", "10.0.0.0/",
            "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/x", "10.0.0.0/8/8", "::1/129", "2001:db8::g", ":::",
            "fe80::1%eth0", "10.1.2.3/8", "2001:db8::1/32", "127.1", "0x7f.0.0.1"})
    void badInputIsRejectedWithAMessageNamingIt(String text) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> CidrRange.parse(text));
        assertTrue(error.getMessage().contains("'" + text + "'") || text.isBlank(), error.getMessage());
    }

    @Test
    void hostBitsPastThePrefixAreNamedWithTheRangeMeant() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> CidrRange.parse("10.1.2.3/8"));
        assertTrue(error.getMessage().contains("10.0.0.0/8"), error.getMessage());
    }

    @Test
    void nullIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> CidrRange.parse(null));
    }

    private static InetAddress address(String literal) throws UnknownHostException {
        return InetAddress.ofLiteral(literal);
    }
}
