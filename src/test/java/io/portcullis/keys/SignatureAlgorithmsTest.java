package io.portcullis.keys;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwa.AlgorithmConstraints;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.security.KeyPair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every algorithm docs/contract.md#access-tokens makes selectable yields keys that sign and verify. */
class SignatureAlgorithmsTest {
    @ParameterizedTest
    @ValueSource(strings = {"RS256", "PS256", "ES256", "EdDSA"})
    void generatedKeysSignAndVerify(String alg) throws Exception {
        KeyPair pair = io.portcullis.keys.KeyPairs.generate(alg);
        String token = Jwt.claims().subject("s").jws().algorithm(SignatureAlgorithm.fromAlgorithm(alg)).type("at+jwt").sign(pair.getPrivate());
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, alg));
        jws.setCompactSerialization(token);
        jws.setKey(pair.getPublic());
        assertTrue(jws.verifySignature());
        assertEquals("at+jwt", jws.getHeader("typ"));
    }
}
