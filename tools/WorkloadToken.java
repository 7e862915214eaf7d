import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.UUID;

/**
 * A platform of your own for trying federated workload identity (docs/federation.md), with nothing but
 * the JDK: it signs tokens shaped like Kubernetes projected service-account tokens with an ES256 key
 * kept in ~/.portcullis-workload-key (or the file $PORTCULLIS_WORKLOAD_KEY names), made on first use.
 *
 *   java tools/WorkloadToken.java jwks                          # its public key set, for a trusted issuer's "jwks"
 *   java tools/WorkloadToken.java ISSUER SUBJECT AUDIENCE [SECONDS]   # a token, valid SECONDS (default 3600)
 *
 * A SUBJECT of the form system:serviceaccount:NAMESPACE:NAME gets the kubernetes.io claim a pod's token has.
 */
public class WorkloadToken {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    public static void main(String[] args) throws Exception {
        String keyFile = System.getenv("PORTCULLIS_WORKLOAD_KEY");
        KeyPair pair = key(keyFile != null ? Path.of(keyFile) : Path.of(System.getProperty("user.home"), ".portcullis-workload-key"));
        ECPoint w = ((ECPublicKey) pair.getPublic()).getW();
        String x = coordinate(w.getAffineX());
        String y = coordinate(w.getAffineY());
        // RFC 7638 thumbprint as the kid: the same key always has the same kid
        String kid = B64.encodeToString(MessageDigest.getInstance("SHA-256").digest(
                ("{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + x + "\",\"y\":\"" + y + "\"}").getBytes(StandardCharsets.UTF_8)));
        if (args.length == 1 && args[0].equals("jwks")) {
            System.out.println("{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + x + "\",\"y\":\"" + y
                    + "\",\"kid\":\"" + kid + "\",\"alg\":\"ES256\",\"use\":\"sig\"}]}");
            return;
        }
        if (args.length < 3) {
            System.err.println("usage: java tools/WorkloadToken.java jwks | ISSUER SUBJECT AUDIENCE [SECONDS]");
            System.exit(2);
        }
        long now = System.currentTimeMillis() / 1000;
        long lifetime = args.length > 3 ? Long.parseLong(args[3]) : 3600;
        String[] parts = args[1].split(":");
        String kubernetes = parts.length == 4 && args[1].startsWith("system:serviceaccount:")
                ? ",\"kubernetes.io\":{\"namespace\":\"" + parts[2] + "\",\"pod\":{\"name\":\"" + parts[3] + "-7d4b9c-xk2lp\",\"uid\":\""
                + UUID.randomUUID() + "\"},\"serviceaccount\":{\"name\":\"" + parts[3] + "\",\"uid\":\""
                + UUID.nameUUIDFromBytes(args[1].getBytes(StandardCharsets.UTF_8)) + "\"}}"
                : "";
        String header = "{\"alg\":\"ES256\",\"kid\":\"" + kid + "\"}";
        String claims = "{\"aud\":[\"" + args[2] + "\"],\"exp\":" + (now + lifetime) + ",\"iat\":" + now + ",\"nbf\":" + now
                + ",\"iss\":\"" + args[0] + "\",\"jti\":\"" + UUID.randomUUID() + "\"" + kubernetes + ",\"sub\":\"" + args[1] + "\"}";
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
                + Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()) + "\n");
        file.toFile().setReadable(false, false);
        file.toFile().setReadable(true, true);
        return pair;
    }
}
