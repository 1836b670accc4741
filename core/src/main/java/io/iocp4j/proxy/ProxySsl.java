package io.iocp4j.proxy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The SSL TLV (0x20) of a version 2 header: how the client reached the proxy. Its value is a client flags byte, a
 * 32-bit verify result, then TLVs of its own (version, common name, cipher, signature and key algorithms).
 */
public final class ProxySsl {
    /** The client connected over SSL/TLS. */
    public static final int CLIENT_SSL = 0x01;
    /** The client gave a certificate over this connection. */
    public static final int CLIENT_CERT_CONN = 0x02;
    /** The client gave a certificate at least once over the TLS session this connection belongs to. */
    public static final int CLIENT_CERT_SESS = 0x04;
    /** Client flags and verify result. */
    static final int FIXED_BYTES = 5;

    private final int clientFlags;
    private final int verify;
    private final List<ProxyTlv> subTlvs;

    private ProxySsl(int clientFlags, int verify, List<ProxyTlv> subTlvs) {
        this.clientFlags = clientFlags;
        this.verify = verify;
        this.subTlvs = List.copyOf(subTlvs);
    }

    /**
     * Reads an SSL TLV's value.
     *
     * @throws MalformedHeader {@link ProxyHeaderError#V2_BAD_TLV} when it is shorter than its fixed part or a
     *                         sub-TLV runs past it
     */
    static ProxySsl decode(byte[] value) {
        if (value.length < FIXED_BYTES) {
            throw new MalformedHeader(ProxyHeaderError.V2_BAD_TLV, "the SSL TLV has " + value.length
                    + " bytes, fewer than its " + FIXED_BYTES + " of client flags and verify result");
        }
        int verify = TlvReader.unsignedShort(value, 1) << 16 | TlvReader.unsignedShort(value, 3);
        return new ProxySsl(value[0] & 0xFF, verify, TlvReader.read(value, FIXED_BYTES, value.length, "SSL TLV"));
    }

    /** The client flags byte: {@link #CLIENT_SSL}, {@link #CLIENT_CERT_CONN}, {@link #CLIENT_CERT_SESS}. */
    public int clientFlags() {
        return clientFlags;
    }

    public boolean clientUsedSsl() {
        return (clientFlags & CLIENT_SSL) != 0;
    }

    /** The verify result as sent: 0 when the client gave a certificate and it was verified, else non-zero. */
    public int verify() {
        return verify;
    }

    public boolean clientCertificateVerified() {
        return verify == 0 && (clientFlags & (CLIENT_CERT_CONN | CLIENT_CERT_SESS)) != 0;
    }

    /** The SSL/TLS version the client used, such as {@code TLSv1.3}. */
    public Optional<String> version() {
        return text(ProxyTlv.SSL_VERSION);
    }

    /** The common name of the client certificate's subject. */
    public Optional<String> commonName() {
        return text(ProxyTlv.SSL_CN);
    }

    public Optional<String> cipher() {
        return text(ProxyTlv.SSL_CIPHER);
    }

    public Optional<String> signatureAlgorithm() {
        return text(ProxyTlv.SSL_SIG_ALG);
    }

    public Optional<String> keyAlgorithm() {
        return text(ProxyTlv.SSL_KEY_ALG);
    }

    /** Every TLV inside the SSL TLV, in the order received. */
    public List<ProxyTlv> subTlvs() {
        return subTlvs;
    }

    private Optional<String> text(int type) {
        for (ProxyTlv tlv : subTlvs) {
            if (tlv.type() == type) {
                return Optional.of(new String(tlv.bytes(), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "SSL(flags=" + clientFlags + ", verify=" + verify + ", version=" + version().orElse("-") + ")";
    }
}
