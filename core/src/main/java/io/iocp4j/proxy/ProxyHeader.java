package io.iocp4j.proxy;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * A PROXY protocol header (version 1 or 2) as received from a load balancer in front of this server: who the
 * client really is, and for version 2 the TLVs the balancer added. Immutable.
 *
 * <p>The addresses are there only for a PROXY command of family TCP4 or TCP6. A LOCAL command (the balancer's own
 * connection, such as a health check) and the UNKNOWN family carry none: the connection's own endpoints stand.
 */
public final class ProxyHeader {
    public enum Command {
        /** The balancer's own connection: use the connection's real endpoints. */
        LOCAL,
        /** Relayed on behalf of a client, whose endpoints the header gives (unless the family is UNKNOWN). */
        PROXY
    }

    public enum Family {
        TCP4,
        TCP6,
        /** A protocol or family the sender did not name (v1 {@code UNKNOWN}, v2 UNSPEC or LOCAL): no addresses. */
        UNKNOWN
    }

    /** Unique ids are opaque values of up to this many bytes. */
    public static final int MAX_UNIQUE_ID_BYTES = 128;

    private final int version;
    private final Command command;
    private final Family family;
    private final InetSocketAddress source;
    private final InetSocketAddress destination;
    private final List<ProxyTlv> tlvs;
    private final ProxySsl ssl;

    private ProxyHeader(int version, Command command, Family family, InetSocketAddress source,
                        InetSocketAddress destination, List<ProxyTlv> tlvs, ProxySsl ssl) {
        this.version = version;
        this.command = command;
        this.family = family;
        this.source = source;
        this.destination = destination;
        this.tlvs = List.copyOf(tlvs);
        this.ssl = ssl;
    }

    /** A header naming a client's endpoints (no TLVs for version 1). */
    static ProxyHeader relayed(int version, Family family, InetSocketAddress source, InetSocketAddress destination,
                               List<ProxyTlv> tlvs) {
        ProxySsl ssl = null;
        for (ProxyTlv tlv : tlvs) {
            if (tlv.type() == ProxyTlv.SSL && ssl == null) {
                ssl = ProxySsl.decode(tlv.bytes());
            }
        }
        return new ProxyHeader(version, Command.PROXY, family, source, destination, tlvs, ssl);
    }

    /** A header that names no endpoints: a LOCAL command, or a PROXY command of an unknown family. */
    static ProxyHeader withoutAddresses(int version, Command command) {
        return new ProxyHeader(version, command, Family.UNKNOWN, null, null, List.of(), null);
    }

    /** 1 for the text form, 2 for the binary one. */
    public int version() {
        return version;
    }

    public Command command() {
        return command;
    }

    public Family family() {
        return family;
    }

    /** True when the header names the client's endpoints: a PROXY command of family TCP4 or TCP6. */
    public boolean hasAddresses() {
        return source != null;
    }

    /** The client's address and port; null unless {@link #hasAddresses()}. */
    public InetSocketAddress source() {
        return source;
    }

    /** The address and port the client connected to on the balancer; null unless {@link #hasAddresses()}. */
    public InetSocketAddress destination() {
        return destination;
    }

    /** Every TLV of the header in the order received, the SSL one with its sub-TLVs inside its value. */
    public List<ProxyTlv> tlvs() {
        return tlvs;
    }

    /** The protocol the client chose by ALPN ({@code h2}, {@code http/1.1}), one character a byte. */
    public Optional<String> alpn() {
        return first(ProxyTlv.ALPN).map(tlv -> new String(tlv.bytes(), StandardCharsets.ISO_8859_1));
    }

    /** The host name the client asked for (TLS SNI, for instance). */
    public Optional<String> authority() {
        return first(ProxyTlv.AUTHORITY).map(tlv -> new String(tlv.bytes(), StandardCharsets.UTF_8));
    }

    /** The balancer's opaque id for this connection (at most {@value #MAX_UNIQUE_ID_BYTES} bytes), a copy. */
    public Optional<byte[]> uniqueId() {
        return first(ProxyTlv.UNIQUE_ID).map(ProxyTlv::value);
    }

    /** How the client reached the balancer over SSL/TLS, when the balancer said. */
    public Optional<ProxySsl> ssl() {
        return Optional.ofNullable(ssl);
    }

    private Optional<ProxyTlv> first(int type) {
        for (ProxyTlv tlv : tlvs) {
            if (tlv.type() == type) {
                return Optional.of(tlv);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("PROXY v").append(version).append(' ').append(command);
        if (command == Command.PROXY) {
            text.append(' ').append(family);
        }
        if (source != null) {
            text.append(' ').append(source).append(" -> ").append(destination);
        }
        if (!tlvs.isEmpty()) {
            text.append(", ").append(tlvs.size()).append(tlvs.size() == 1 ? " TLV" : " TLVs");
        }
        return text.toString();
    }
}
