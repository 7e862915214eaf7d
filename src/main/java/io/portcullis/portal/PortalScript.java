package io.portcullis.portal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The hash of the portal's one inline script, as a CSP hash-source (CSP Level 3 section 2.3.1):
 * computed from the layout template itself, so that editing the script can never leave a stale hash
 * behind (the browser would then refuse the script, which PortalBrowserTest sees).
 */
final class PortalScript {
    static final String TEMPLATE = "templates/portal_layout.html";
    /** The script is kept as Qute unparsed text, so the page carries exactly these characters. */
    static final String START = "<script>{|";
    static final String END = "|}</script>";

    private static final String HASH_SOURCE = compute();

    private PortalScript() {
    }

    static String hashSource() {
        return HASH_SOURCE;
    }

    private static String compute() {
        try (InputStream in = PortalScript.class.getClassLoader().getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException(TEMPLATE + " is missing");
            }
            String template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int start = template.indexOf(START);
            int end = template.indexOf(END, start);
            if (start < 0 || end < 0 || template.indexOf(START, end) >= 0) {
                throw new IllegalStateException(TEMPLATE + " must hold exactly one inline script, as " + START + "…" + END);
            }
            byte[] script = template.substring(start + START.length(), end).getBytes(StandardCharsets.UTF_8);
            return "sha256-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(script));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
