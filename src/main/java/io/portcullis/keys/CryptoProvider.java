package io.portcullis.keys;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.security.Security;

/**
 * Signs with Amazon Corretto Crypto Provider where it ships for the platform (Linux x86_64 and
 * aarch64, in the JVM), several times faster than the JDK's own RSA and ECDSA; falls back to the
 * JDK's provider elsewhere, and says which one is in use. {@code portcullis.crypto.accp=false}
 * turns it off.
 */
@ApplicationScoped
public class CryptoProvider {
    private static final Logger LOG = Logger.getLogger(CryptoProvider.class);
    private static final String ACCP = "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider";

    private volatile String inUse = "JDK";

    void onStart(@Observes @Priority(1) StartupEvent event) {
        inUse = install(Boolean.parseBoolean(System.getProperty("portcullis.crypto.accp",
                System.getenv().getOrDefault("PORTCULLIS_CRYPTO_ACCP", "true"))));
        LOG.infof("Cryptography: %s", inUse);
    }

    public String inUse() {
        return inUse;
    }

    static synchronized String install(boolean wanted) {
        if (!wanted) {
            return "JDK (ACCP turned off)";
        }
        if (Security.getProvider("AmazonCorrettoCryptoProvider") != null) {
            return "AmazonCorrettoCryptoProvider";
        }
        try {
            Class<?> accp = Class.forName(ACCP);
            Object instance = accp.getField("INSTANCE").get(null);
            Throwable error = (Throwable) accp.getMethod("getLoadingError").invoke(instance);
            if (error != null) {
                return "JDK (ACCP could not load: " + error.getClass().getSimpleName() + ")";
            }
            accp.getMethod("install").invoke(null);
            return "AmazonCorrettoCryptoProvider " + accp.getPackage().getImplementationVersion();
        } catch (ClassNotFoundException e) {
            return "JDK (no ACCP for this platform)";
        } catch (ReflectiveOperationException | LinkageError e) {
            return "JDK (ACCP could not load: " + e.getClass().getSimpleName() + ")";
        }
    }
}
