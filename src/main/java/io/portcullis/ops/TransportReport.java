package io.portcullis.ops;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Says at start which network transport serves HTTP, beside the {@code Cryptography:} line: Netty's
 * native epoll where it loads (Linux on x86-64 or ARM64 with glibc), else the JDK's, with the reason.
 * A fall-back is silent otherwise, and costs CPU on every request.
 */
@ApplicationScoped
public class TransportReport {
    private static final Logger LOG = Logger.getLogger(TransportReport.class);

    void report(@Observes StartupEvent event, Vertx vertx) {
        if (vertx.isNativeTransportEnabled()) {
            LOG.info("Network transport: native epoll");
            return;
        }
        Throwable cause = vertx.unavailableNativeTransportCause();
        LOG.infof("Network transport: JDK NIO%s", cause == null ? " (quarkus.vertx.prefer-native-transport is off)"
                : " (native epoll unavailable: " + cause.getClass().getSimpleName() + ")");
    }
}
