package io.portcullis.keys;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only once a signing key is loaded: before that, every token request would fail. */
@Readiness
@ApplicationScoped
public class SigningKeyReadiness implements HealthCheck {
    private final SigningKeys keys;

    public SigningKeyReadiness(SigningKeys keys) {
        this.keys = keys;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("signing-key").status(keys.isReady());
        if (keys.isReady()) {
            response.withData("kid", keys.current().kid()).withData("alg", keys.current().alg());
        }
        return response.build();
    }
}
