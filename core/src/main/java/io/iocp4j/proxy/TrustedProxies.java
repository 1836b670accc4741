package io.iocp4j.proxy;

import io.iocp4j.CidrRange;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The peers allowed to send a PROXY protocol header: the load balancers in front of this server, as address
 * ranges. Anyone else could otherwise claim any client address. Immutable, so any thread may ask.
 */
public final class TrustedProxies {
    private static final TrustedProxies NONE = new TrustedProxies(List.of());

    /** An array, not a list: {@link #trusts} runs for every connection accepted and walks it without an iterator. */
    private final CidrRange[] ranges;

    private TrustedProxies(List<CidrRange> ranges) {
        this.ranges = ranges.toArray(CidrRange[]::new);
    }

    /** Trusts no one: every header is refused. */
    public static TrustedProxies none() {
        return NONE;
    }

    public static TrustedProxies of(Collection<CidrRange> ranges) {
        return ranges.isEmpty() ? NONE : new TrustedProxies(new ArrayList<>(ranges));
    }

    /**
     * Parses each of {@code ranges} as {@link CidrRange#parse} does ({@code 10.0.0.0/8}, {@code 192.0.2.7},
     * {@code 2001:db8::/32}).
     *
     * @throws IllegalArgumentException naming the first text that is not an address or range
     */
    public static TrustedProxies parse(Collection<String> ranges) {
        List<CidrRange> parsed = new ArrayList<>(ranges.size());
        for (String range : ranges) {
            parsed.add(CidrRange.parse(range));
        }
        return of(parsed);
    }

    public static TrustedProxies parse(String... ranges) {
        return parse(List.of(ranges));
    }

    /**
     * True when {@code peer} lies in one of the ranges. The JDK reports an IPv4-mapped IPv6 peer
     * ({@code ::ffff:192.0.2.7}) as its IPv4 address, so IPv4 ranges cover such peers too.
     */
    public boolean trusts(InetAddress peer) {
        return CidrRange.anyContains(ranges, peer);
    }

    public boolean isEmpty() {
        return ranges.length == 0;
    }

    public List<CidrRange> ranges() {
        return List.of(ranges);
    }

    @Override
    public String toString() {
        return isEmpty() ? "no trusted proxies" : "trusted proxies " + ranges();
    }
}
