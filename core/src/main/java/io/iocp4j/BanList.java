package io.iocp4j;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The addresses and ranges a server refuses: a peer inside any of them is closed as it is accepted, before a byte is
 * read or sent. Safe to change from any thread while the server runs; a change applies to connections accepted
 * after it, and leaves open ones alone ({@link Server#disconnectBanned()} closes those).
 *
 * <p>Accepting reads a snapshot without a lock; changes copy the list, which is meant to stay in the hundreds.
 */
public final class BanList {
    private volatile CidrRange[] ranges = new CidrRange[0];

    /** Bans {@code range} ({@code 10.0.0.0/8}, {@code 2001:db8::/32}, {@code 192.0.2.7}); false if already banned. */
    public boolean add(String range) {
        return add(CidrRange.parse(range));
    }

    public synchronized boolean add(CidrRange range) {
        LinkedHashSet<CidrRange> next = current();
        boolean added = next.add(range);
        ranges = next.toArray(CidrRange[]::new);
        return added;
    }

    /** Lifts the ban on exactly {@code range}; false if it was not banned. */
    public synchronized boolean remove(CidrRange range) {
        LinkedHashSet<CidrRange> next = current();
        boolean removed = next.remove(range);
        ranges = next.toArray(CidrRange[]::new);
        return removed;
    }

    public boolean remove(String range) {
        return remove(CidrRange.parse(range));
    }

    /** Replaces every ban at once (a ban file reloaded): no peer is let in by a list half changed. */
    public synchronized void replaceAll(Collection<CidrRange> banned) {
        ranges = new LinkedHashSet<>(banned).toArray(CidrRange[]::new);
    }

    /** True when {@code address} lies in a banned range. */
    public boolean isBanned(InetAddress address) {
        return CidrRange.anyContains(ranges, address);
    }

    public boolean isEmpty() {
        return ranges.length == 0;
    }

    /** The banned ranges, in the order they were added. */
    public List<CidrRange> ranges() {
        return List.of(ranges);
    }

    /**
     * Reads ban-file lines: one address or range per line; blank lines and text from {@code #} on are ignored.
     *
     * @throws IllegalArgumentException naming the first bad line by number
     */
    public static List<CidrRange> parseLines(List<String> lines) {
        List<CidrRange> parsed = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int comment = line.indexOf('#');
            String entry = (comment >= 0 ? line.substring(0, comment) : line).strip();
            if (entry.isEmpty()) {
                continue;
            }
            try {
                parsed.add(CidrRange.parse(entry));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return parsed;
    }

    private LinkedHashSet<CidrRange> current() {
        return new LinkedHashSet<>(List.of(ranges));
    }
}
