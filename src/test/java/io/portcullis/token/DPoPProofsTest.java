package io.portcullis.token;

import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.EllipticCurves;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 9449 section 4.3's checks of a DPoP proof, each refusal on its own, without HTTP. */
class DPoPProofsTest {
    static final String URL = "https://api.example.com/auth/default/api/pets/token";
    static final long NOW = 1_800_000_000L;

    final PublicJsonWebKey key = generate();
    final Set<String> seen = new HashSet<>();
    final DPoPProofs.ReplayGuard replay = (jkt, jti, exp) -> seen.add(jkt + " " + jti);

    static PublicJsonWebKey generate() {
        try {
            return EcJwkGenerator.generateJwk(EllipticCurves.P256);
        } catch (org.jose4j.lang.JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    Map<String, Object> claims(String htm, String htu, long iat) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("htm", htm);
        claims.put("htu", htu);
        claims.put("iat", iat);
        return claims;
    }

    String proof(Map<String, Object> claims, String typ, boolean withPrivateKey) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setHeader("typ", typ);
        jws.setAlgorithmHeaderValue("ES256");
        if (withPrivateKey) {
            jws.getHeaders().setObjectHeaderValue("jwk", key.toParams(org.jose4j.jwk.JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));
        } else {
            jws.setJwkHeader(key);
        }
        jws.setPayload(org.jose4j.json.JsonUtil.toJson(claims));
        jws.setKey(key.getPrivateKey());
        return jws.getCompactSerialization();
    }

    String refusal(String proof, String method, String url, String token) {
        return assertThrows(DPoPProofs.InvalidProofException.class,
                () -> DPoPProofs.check(List.of(proof), method, url, token, NOW, replay)).getMessage();
    }

    @Test
    void aGoodProofGivesItsKeysThumbprintOnce() throws Exception {
        String proof = proof(claims("POST", URL, NOW), "dpop+jwt", false);
        assertEquals(key.calculateBase64urlEncodedThumbprint("SHA-256"), DPoPProofs.check(List.of(proof), "POST", URL, null, NOW, replay).jkt());
        assertTrue(refusal(proof, "POST", URL, null).contains("used before"));
    }

    @Test
    void eachCheckRefusesOnItsOwn() throws Exception {
        assertTrue(refusal(proof(claims("POST", URL, NOW), "JWT", false), "POST", URL, null).contains("typ"));
        assertTrue(refusal(proof(claims("GET", URL, NOW), "dpop+jwt", false), "POST", URL, null).contains("method"));
        assertTrue(refusal(proof(claims("POST", URL + "/x", NOW), "dpop+jwt", false), "POST", URL, null).contains("URL"));
        assertTrue(refusal(proof(claims("POST", URL, NOW - 61), "dpop+jwt", false), "POST", URL, null).contains("old"));
        assertTrue(refusal(proof(claims("POST", URL, NOW + 6), "dpop+jwt", false), "POST", URL, null).contains("future"));
        assertTrue(refusal(proof(claims("POST", URL, NOW), "dpop+jwt", true), "POST", URL, null).contains("public key"));
        Map<String, Object> noJti = claims("POST", URL, NOW);
        noJti.remove("jti");
        assertTrue(refusal(proof(noJti, "dpop+jwt", false), "POST", URL, null).contains("lacks"));
        // at a resource, the proof must carry the token's hash
        assertTrue(refusal(proof(claims("GET", URL, NOW), "dpop+jwt", false), "GET", URL, "the-token").contains("ath"));
        assertTrue(assertThrows(DPoPProofs.InvalidProofException.class, () -> DPoPProofs.check(List.of(), "POST", URL, null, NOW, replay))
                .getMessage().contains("missing"));
        assertTrue(assertThrows(DPoPProofs.InvalidProofException.class, () -> DPoPProofs.check(List.of("a", "b"), "POST", URL, null, NOW, replay))
                .getMessage().contains("More than one"));
        assertTrue(refusal("not.a.proof", "POST", URL, null).contains("malformed"));
        assertEquals(Set.of(), seen, "no refused proof was remembered");
    }

    @Test
    void theUrlIsComparedAsRfc3986NormalisesIt() {
        assertTrue(DPoPProofs.sameUrl("HTTPS://API.example.com:443/a?x=1#f", "https://api.example.com/a"));
        assertTrue(!DPoPProofs.sameUrl("https://api.example.com/a", "https://api.example.com/b"));
        assertTrue(!DPoPProofs.sameUrl("http://api.example.com/a", "https://api.example.com/a"));
    }
}
