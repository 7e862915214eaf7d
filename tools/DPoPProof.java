import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.UUID;

/**
 * Makes a DPoP proof (RFC 9449) for curl, with nothing but the JDK:
 *
 *   java tools/DPoPProof.java METHOD URL [ACCESS_TOKEN]
 *
 * The ES256 key is kept in ~/.portcullis-dpop-key (made on first use), so that the token endpoint and
 * the API see the same key. With ACCESS_TOKEN, the proof carries its hash (ath), as the API requires.
 */
public class DPoPProof {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: java tools/DPoPProof.java METHOD URL [ACCESS_TOKEN]");
            System.exit(2);
        }
        KeyPair pair = key(Path.of(System.getProperty("user.home"), ".portcullis-dpop-key"));
        ECPoint w = ((ECPublicKey) pair.getPublic()).getW();
        String jwk = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + coordinate(w.getAffineX()) + "\",\"y\":\"" + coordinate(w.getAffineY()) + "\"}";
        String header = "{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":" + jwk + "}";
        String claims = "{\"jti\":\"" + UUID.randomUUID() + "\",\"htm\":\"" + args[0] + "\",\"htu\":\"" + args[1].replaceAll("[?#].*", "")
                + "\",\"iat\":" + System.currentTimeMillis() / 1000
                + (args.length > 2 ? ",\"ath\":\"" + B64.encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(args[2].getBytes(StandardCharsets.US_ASCII))) + "\"" : "") + "}";
        String input = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "." + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Signature signature = Signature.getInstance("SHA256withECDSAinP1363Format");
        signature.initSign(pair.getPrivate());
        signature.update(input.getBytes(StandardCharsets.US_ASCII));
        System.out.println(input + "." + B64.encodeToString(signature.sign()));
    }

    private static String coordinate(BigInteger value) {
        byte[] bytes = value.toByteArray();
        byte[] fixed = new byte[32];
        System.arraycopy(bytes, Math.max(0, bytes.length - 32), fixed, Math.max(0, 32 - bytes.length), Math.min(32, bytes.length));
        return B64.encodeToString(fixed);
    }

    private static KeyPair key(Path file) throws Exception {
        KeyFactory factory = KeyFactory.getInstance("EC");
        if (Files.exists(file)) {
            String[] lines = Files.readString(file).trim().split("\n");
            return new KeyPair(factory.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(lines[0]))),
                    factory.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(lines[1]))));
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        Files.writeString(file, Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()) + "\n"
                + Base64.getEncoder().encodeToString(((ECPrivateKey) pair.getPrivate()).getEncoded()) + "\n");
        file.toFile().setReadable(false, false);
        file.toFile().setReadable(true, true);
        return pair;
    }
}
