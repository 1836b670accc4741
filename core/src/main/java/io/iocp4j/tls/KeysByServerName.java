package io.iocp4j.tls;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Map;

/**
 * Picks the keys for a handshake by the server name the client asked for (SNI), else the default ones; reads them
 * from {@link TlsKeys} at each handshake, so that reloaded keys serve the next one. An alias is the name's index
 * and the keys' generation, so that the chain and key a handshake asks for next are the ones it chose.
 */
final class KeysByServerName extends X509ExtendedKeyManager {
    private final TlsKeys defaults;
    /** Lower-case host names to their keys, in the order given. */
    private final Map<String, TlsKeys> byName;
    private final TlsKeys[] indexed;

    KeysByServerName(TlsKeys defaults, Map<String, TlsKeys> byName) {
        this.defaults = defaults;
        this.byName = byName;
        this.indexed = byName.values().toArray(TlsKeys[]::new);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        TlsKeys keys = defaults;
        int index = -1;
        String requested = requestedName(engine);
        if (requested != null) {
            int i = 0;
            for (Map.Entry<String, TlsKeys> entry : byName.entrySet()) {
                if (entry.getKey().equals(requested)) {
                    keys = entry.getValue();
                    index = i;
                    break;
                }
                i++;
            }
        }
        TlsKeys.Loaded loaded = keys.current();
        if (!loaded.key().getAlgorithm().equals(keyAlgorithm(keyType))) {
            return null;
        }
        return index + "#" + loaded.generation();
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        TlsKeys.Loaded loaded = defaults.current();
        return loaded.key().getAlgorithm().equals(keyAlgorithm(keyType)) ? "-1#" + loaded.generation() : null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        TlsKeys.Loaded loaded = defaults.current();
        for (String keyType : keyTypes) {
            if (loaded.key().getAlgorithm().equals(keyAlgorithm(keyType))) {
                return "-1#" + loaded.generation();
            }
        }
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return chooseEngineClientAlias(keyTypes, issuers, null);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        TlsKeys.Loaded loaded = loaded(alias);
        return loaded == null ? null : loaded.chain().clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        TlsKeys.Loaded loaded = loaded(alias);
        return loaded == null ? null : loaded.key();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        String alias = chooseEngineClientAlias(new String[] {keyType}, issuers, null);
        return alias == null ? null : new String[] {alias};
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String alias = chooseServerAlias(keyType, issuers, null);
        return alias == null ? null : new String[] {alias};
    }

    private TlsKeys.Loaded loaded(String alias) {
        int hash = alias == null ? -1 : alias.indexOf('#');
        if (hash < 0) {
            return null;
        }
        try {
            int index = Integer.parseInt(alias, 0, hash, 10);
            int generation = Integer.parseInt(alias, hash + 1, alias.length(), 10);
            TlsKeys keys = index < 0 ? defaults : indexed[index];
            return keys.generation(generation);
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return null;
        }
    }

    private static String requestedName(SSLEngine engine) {
        SSLSession handshake = engine == null ? null : engine.getHandshakeSession();
        if (!(handshake instanceof ExtendedSSLSession extended)) {
            return null;
        }
        for (SNIServerName name : extended.getRequestedServerNames()) {
            if (name.getType() == StandardConstants.SNI_HOST_NAME) {
                return ((SNIHostName) name).getAsciiName().toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }

    /** The key algorithm a JSSE key type asks for: "EC_EC" and "EC" are EC keys, "RSA" and "RSASSA-PSS" RSA ones. */
    private static String keyAlgorithm(String keyType) {
        int underscore = keyType.indexOf('_');
        String algorithm = underscore < 0 ? keyType : keyType.substring(0, underscore);
        return algorithm.equals("RSASSA-PSS") ? "RSA" : algorithm;
    }
}
