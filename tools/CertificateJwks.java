import java.io.FileInputStream;
import java.math.BigInteger;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;

/**
 * Prints the JWK set of a certificate's public key, with the certificate as its x5c (RFC 7517
 * section 4.7), for self_signed_tls_client_auth (docs/mtls.md): the subscription's registered keys.
 * JDK only: java tools/CertificateJwks.java client.pem
 */
public class CertificateJwks {
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: java tools/CertificateJwks.java CERTIFICATE.pem");
            System.exit(2);
        }
        X509Certificate certificate;
        try (FileInputStream in = new FileInputStream(args[0])) {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        String x5c = Base64.getEncoder().encodeToString(certificate.getEncoded());
        String key;
        if (certificate.getPublicKey() instanceof ECPublicKey ec) {
            int size = (ec.getParams().getCurve().getField().getFieldSize() + 7) / 8;
            String crv = switch (size) {
                case 32 -> "P-256";
                case 48 -> "P-384";
                case 66 -> "P-521";
                default -> throw new IllegalArgumentException("an EC key of an unknown curve");
            };
            key = "\"kty\":\"EC\",\"crv\":\"" + crv + "\",\"x\":\"" + unsigned(ec.getW().getAffineX(), size) + "\",\"y\":\""
                    + unsigned(ec.getW().getAffineY(), size) + "\"";
        } else if (certificate.getPublicKey() instanceof RSAPublicKey rsa) {
            key = "\"kty\":\"RSA\",\"n\":\"" + unsigned(rsa.getModulus(), (rsa.getModulus().bitLength() + 7) / 8) + "\",\"e\":\""
                    + unsigned(rsa.getPublicExponent(), (rsa.getPublicExponent().bitLength() + 7) / 8) + "\"";
        } else {
            throw new IllegalArgumentException("the certificate's key is neither EC nor RSA");
        }
        System.out.println("{\"keys\":[{" + key + ",\"x5c\":[\"" + x5c + "\"]}]}");
    }

    /** RFC 7518 sections 6.2.1.2 and 6.3.1.1: big-endian, exactly {@code size} bytes, base64url. */
    private static String unsigned(BigInteger value, int size) {
        byte[] bytes = value.toByteArray();
        byte[] out = new byte[size];
        int copy = Math.min(bytes.length, size);
        System.arraycopy(bytes, bytes.length - copy, out, size - copy, copy);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    }
}
