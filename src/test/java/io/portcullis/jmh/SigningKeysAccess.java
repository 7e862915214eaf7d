package io.portcullis.jmh;

import java.security.KeyPair;

/** Key generation exactly as SigningKeys does it. */
final class SigningKeysAccess {
    private SigningKeysAccess() {
    }

    static KeyPair generate(String alg) throws Exception {
        return io.portcullis.keys.KeyPairs.generate(alg);
    }
}
