package io.portcullis.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.portcullis.registry.Registry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.TimeUnit;

/**
 * Portcullis's own meters (Prometheus at /q/metrics). Tag values are bounded: an API or auth
 * method is named only if it is registered, else "unknown"; never a client id.
 */
@ApplicationScoped
public class Metrics {
    private final MeterRegistry meters;
    private final Registry registry;
    /**
     * The hot paths' meters by their tags: Micrometer builds and sorts a meter's id on every
     * register(), which was a visible part of a warm gateway request. Bounded as the tags are.
     */
    private final java.util.concurrent.ConcurrentHashMap<Object, io.micrometer.core.instrument.Meter> hot =
            new java.util.concurrent.ConcurrentHashMap<>();

    public Metrics(MeterRegistry meters, Registry registry) {
        this.meters = meters;
        // the bean, not its client proxy (see GatewayRoute)
        this.registry = io.quarkus.arc.ClientProxy.unwrap(registry);
    }

    /** At start, so that the meters without an event of their own are there from the first scrape. */
    void register(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent event) {
        io.micrometer.core.instrument.FunctionCounter.builder("portcullis.secrets.derivations", this,
                        m -> io.portcullis.registry.ClientSecrets.chosenSecretDerivations())
                .description("PBKDF2 derivations of chosen secrets (the admin client's, a registry file's); "
                        + "a known hash is checked by its digest, so requests should add none").register(meters);
    }

    public void tokenGranted(String apiId, String authMethodId, long nanos) {
        String api = api(apiId);
        String authMethod = authMethod(authMethodId);
        ((Counter) hot.computeIfAbsent("issued " + api + " " + authMethod, k -> Counter.builder("portcullis.tokens.issued")
                .description("Access tokens issued").tag("api", api).tag("auth_method", authMethod).register(meters))).increment();
        tokenTimer("granted").record(nanos, TimeUnit.NANOSECONDS);
    }

    public void tokenRefused(String apiId, String authMethodId, String error, long nanos) {
        String api = api(apiId);
        String authMethod = authMethod(authMethodId);
        // error codes are the contract's few: the key stays as bounded as the tags
        ((Counter) hot.computeIfAbsent("refused " + api + " " + authMethod + " " + error, k -> Counter.builder("portcullis.tokens.refused")
                .description("Token requests refused").tag("api", api).tag("auth_method", authMethod).tag("error", error)
                .register(meters))).increment();
        tokenTimer("refused").record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer tokenTimer(String outcome) {
        return (Timer) hot.computeIfAbsent("token " + outcome, k -> Timer.builder("portcullis.token.requests")
                .description("Token endpoint latency").tag("outcome", outcome).publishPercentileHistogram().register(meters));
    }

    /** A token issued over its subscription's quota (mode report), or refused by it (mode enforce). */
    public void tokenQuotaExceeded(String apiId, String mode) {
        Counter.builder("portcullis.token.quota.exceeded").description("Token requests over their subscription's token quota")
                .tag("api", api(apiId)).tag("mode", mode).register(meters).increment();
    }

    public void gatewayRequest(String apiId, int status, long nanos) {
        String api = api(apiId);
        // a record, not a concatenated string, for the key: its hash is the id's, which the id string keeps
        ((Timer) hot.computeIfAbsent(new GatewayKey(api, status), k -> Timer.builder("portcullis.gateway.requests")
                .description("Requests through the gateway").tag("api", api).tag("status", Integer.toString(status))
                .publishPercentileHistogram().register(meters))).record(nanos, TimeUnit.NANOSECONDS);
    }

    private record GatewayKey(String api, int status) {
    }

    public void upstreamFailure(String apiId, String kind) {
        Counter.builder("portcullis.gateway.upstream.failures").description("Upstream connections refused, reset or timed out")
                .tag("api", api(apiId)).tag("kind", kind).register(meters).increment();
    }

    private String api(String id) {
        return id != null && registry.api(id).isPresent() ? id : "unknown";
    }

    private String authMethod(String id) {
        return id != null && registry.authMethod(id).isPresent() ? id : "unknown";
    }
}
