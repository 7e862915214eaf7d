package io.portcullis.keys;

import java.util.Arrays;
import java.util.List;

/**
 * The JWS algorithms (RFC 7518 section 3, RFC 8037 for EdDSA) Portcullis signs with and accepts: the
 * asymmetric ones only, so that no {@code none} and no HMAC keyed with a public key ever verifies
 * (RFC 8725 section 3.1). One list for the signing keys, access-token verification, client assertions,
 * DPoP proofs and the metadata that advertises them.
 */
public enum JwsAlgorithm {
    ES256, PS256, RS256, EdDSA;

    /** Their names, in this order (the order the DPoP challenge's {@code algs} lists them). */
    public static final List<String> NAMES = Arrays.stream(values()).map(Enum::name).toList();

    /** The names as jose4j's algorithm constraints take them. */
    public static String[] names() {
        return NAMES.toArray(String[]::new);
    }
}
