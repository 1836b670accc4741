package io.iocp4j;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BanListTest {
    @Test
    void bansAddedAndRemovedWhileInUse() {
        BanList bans = new BanList();
        assertFalse(bans.isBanned(InetAddress.ofLiteral("10.0.0.1")));
        assertTrue(bans.add("10.0.0.0/8"));
        assertFalse(bans.add("10.0.0.0/8"), "already banned");
        assertTrue(bans.add("2001:db8::/32"));
        assertTrue(bans.isBanned(InetAddress.ofLiteral("10.200.0.1")));
        assertTrue(bans.isBanned(InetAddress.ofLiteral("2001:db8::7")));
        assertFalse(bans.isBanned(InetAddress.ofLiteral("11.0.0.1")));
        assertTrue(bans.remove("10.0.0.0/8"));
        assertFalse(bans.remove("10.0.0.0/8"));
        assertFalse(bans.isBanned(InetAddress.ofLiteral("10.200.0.1")));
        assertEquals(List.of(CidrRange.parse("2001:db8::/32")), bans.ranges());
    }

    @Test
    void aBadEntryChangesNothing() {
        BanList bans = new BanList();
        bans.add("192.0.2.1");
        assertThrows(IllegalArgumentException.class, () -> bans.add("192.0.2.300"));
        assertEquals(List.of(CidrRange.parse("192.0.2.1")), bans.ranges());
    }

    @Test
    void banFileLinesSkipCommentsAndBlanks() {
        List<CidrRange> parsed = BanList.parseLines(List.of("# bans", "", "  10.0.0.0/8  # the office",
                "::1", "   ", "192.0.2.7#no space"));
        assertEquals(List.of(CidrRange.parse("10.0.0.0/8"), CidrRange.parse("::1"), CidrRange.parse("192.0.2.7")),
                parsed);
    }

    @Test
    void aBadBanFileLineIsNamedByNumber() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> BanList.parseLines(List.of("10.0.0.1", "# fine", "10.0.0.999")));
        assertTrue(error.getMessage().startsWith("line 3: '10.0.0.999'"), error.getMessage());
    }

    @Test
    void replaceAllSwapsTheWholeList() {
        BanList bans = new BanList();
        bans.add("10.0.0.1");
        bans.replaceAll(List.of(CidrRange.parse("10.0.0.2"), CidrRange.parse("10.0.0.2")));
        assertFalse(bans.isBanned(InetAddress.ofLiteral("10.0.0.1")));
        assertTrue(bans.isBanned(InetAddress.ofLiteral("10.0.0.2")));
        assertEquals(1, bans.ranges().size());
    }
}
