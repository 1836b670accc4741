package io.iocp4j.proxy;

import io.iocp4j.CidrRange;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrustedProxiesTest {
    @Test
    void peersInsideAnyRangeAreTrustedAndOthersAreNot() throws Exception {
        TrustedProxies trusted = TrustedProxies.parse("10.0.0.0/8", "192.0.2.7", "2001:db8::/32");
        assertTrue(trusted.trusts(InetAddress.getByName("10.200.3.4")));
        assertTrue(trusted.trusts(InetAddress.getByName("192.0.2.7")));
        assertTrue(trusted.trusts(InetAddress.getByName("2001:db8:1::5")));
        assertFalse(trusted.trusts(InetAddress.getByName("11.0.0.1")));
        assertFalse(trusted.trusts(InetAddress.getByName("192.0.2.8")));
        assertFalse(trusted.trusts(InetAddress.getByName("2001:db9::1")));
        assertEquals(List.of(CidrRange.parse("10.0.0.0/8"), CidrRange.parse("192.0.2.7"),
                CidrRange.parse("2001:db8::/32")), trusted.ranges());
    }

    @Test
    void anIpv4MappedPeerIsCoveredByItsIpv4Range() throws Exception {
        InetAddress mapped = InetAddress.getByName("::ffff:10.1.2.3");
        assertTrue(TrustedProxies.parse("10.0.0.0/8").trusts(mapped));
    }

    @Test
    void noRangesTrustNoOne() throws Exception {
        assertTrue(TrustedProxies.none().isEmpty());
        assertFalse(TrustedProxies.none().trusts(InetAddress.getByName("127.0.0.1")));
        assertFalse(TrustedProxies.parse(List.of()).trusts(InetAddress.getByName("::1")));
    }

    @Test
    void aRangeThatIsNotOneIsRefusedNamingIt() {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> TrustedProxies.parse("10.0.0.0/8", "balancer.example"));
        assertTrue(thrown.getMessage().contains("balancer.example"), thrown.getMessage());
    }
}
