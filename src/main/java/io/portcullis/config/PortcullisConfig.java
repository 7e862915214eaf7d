package io.portcullis.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Everything an operator sets under {@code portcullis.*}. */
@ConfigMapping(prefix = "portcullis")
public interface PortcullisConfig {

    /**
     * The URL clients use to reach this server, without a trailing slash. Token issuers, metadata
     * and resource identifiers are built from it, never from request headers (docs/contract.md#access-tokens).
     */
    @WithConverter(PublicUrlConverter.class)
    String publicUrl();

    Keys keys();

    Registry registry();

    Lockout lockout();

    Demo demo();

    Echo echo();

    Revocation revocation();

    TokenEndpoint tokenEndpoint();

    interface TokenEndpoint {
        /** How long a token request's body may take to arrive once it began; then 408 and the connection closed. */
        @WithDefault("10s")
        Duration bodyDeadline();
    }

    Admin admin();

    Audit audit();

    AccessLog accessLog();

    Assertions assertions();

    Federation federation();

    Limits limits();

    Mtls mtls();

    /** Mutual TLS (RFC 8705, docs/contract.md#mutual-tls). */
    interface Mtls {
        /**
         * PEM files of the certificate authorities a {@code tls_client_auth} certificate must chain to.
         * Without any, only {@code self_signed_tls_client_auth} and certificate-bound tokens work. Dev
         * mode and tests trust their development CA (target/dev-tls/).
         */
        Optional<java.util.List<String>> trustAnchors();

        /**
         * Addresses or CIDR ranges of the TLS-terminating proxies whose {@code Client-Cert} header
         * (RFC 9440) carries the caller's certificate. From any other address the header is ignored.
         */
        Optional<java.util.List<String>> trustedProxies();

        /**
         * The URL clients reach the TLS listener at, when it is not {@code public-url} (a second port, or
         * a host of its own): metadata then lists it in {@code mtls_endpoint_aliases} (RFC 8705 section 5).
         */
        Optional<String> publicUrl();

        /** Dev mode and tests: {@code false} leaves the generated development TLS listener off. */
        @WithDefault("true")
        boolean devListener();
    }

    /** Where plan rate limits and token quotas are counted (docs/contract.md#token-policy). */
    interface Limits {
        /** {@code local}: each replica counts alone; {@code redis}: every replica counts in one Redis. */
        @WithDefault("local")
        String store();

        Redis redis();

        interface Redis {
            /** A Redis connection string, such as {@code redis://redis:6379/0}. */
            @WithDefault("redis://127.0.0.1:6379")
            String url();

            /** How long a count may wait for Redis before it is made on this replica instead. */
            @WithDefault("20ms")
            Duration timeout();
        }
    }

    /** Federated workload identity (docs/contract.md#federated-workload-identity). */
    interface Federation {
        /**
         * The directory a trusted issuer's {@code caFile} and {@code bearerTokenFile} must be in: the
         * admin API can name no other file for Portcullis to read and send. Kubernetes mounts a pod's
         * service-account token and CA there.
         */
        @WithDefault("/var/run/secrets/kubernetes.io/serviceaccount")
        String fileRoot();

        /**
         * The only hosts a trusted issuer's bearer token may be sent to (over https, checked against its
         * {@code caFile}): Portcullis's own service-account token is a credential of its own, which the
         * admin API must not be able to hand to a host of its choosing.
         */
        @WithDefault("kubernetes.default.svc,kubernetes.default.svc.cluster.local")
        java.util.List<String> bearerTokenHosts();
    }

    /** private_key_jwt client assertions (RFC 7523, docs/contract.md#token-endpoint). */
    interface Assertions {
        /**
         * Also accept the token endpoint URL as an assertion's sole audience, besides the issuer
         * identifier, for clients written to RFC 7523's looser wording. Off: draft-ietf-oauth-rfc7523bis
         * accepts the issuer alone.
         */
        @WithDefault("false")
        boolean acceptTokenEndpointAudience();
    }

    interface Audit {
        /** Records older than this are deleted. */
        @WithDefault("2160h")
        Duration retention();

        /** Records waiting to be written (the database away); past this they are dropped and counted. */
        @WithDefault("200000")
        int queueCapacity();
    }

    interface AccessLog {
        /** One log line per request, with its correlation id. */
        @WithDefault("true")
        boolean enabled();
    }

    /** The first admin client (docs/contract.md#management): from configuration only, e.g. a Kubernetes Secret. */
    interface Admin {
        Optional<String> clientId();

        Optional<String> clientSecret();
    }

    /** A YAML or JSON file describing the registry, applied at start-up (see io.portcullis.admin.ConfigFile). */
    Optional<String> configFile();

    Secrets secrets();

    interface Revocation {
        /** How often each replica reads new revocations; a revoked token is refused everywhere within it. */
        @WithDefault("250ms")
        Duration pollInterval();
    }

    interface Secrets {
        /** How long a rotated-out client secret keeps working. */
        @WithDefault("24h")
        Duration rotationGrace();
    }

    /** The sample echo API (dev mode and tests) verifies tokens like an independent resource server: through this JWKS URL. */
    interface Echo {
        @WithDefault("${portcullis.demo.local-url}/auth/jwks")
        String jwksUrl();
    }

    interface Keys {
        /** RS256 (default), PS256, ES256 or EdDSA. */
        @WithDefault("RS256")
        String algorithm();

        /**
         * Encrypts the private part of signing keys at rest. Required in production; dev mode and
         * tests generate an ephemeral one when it is absent.
         */
        Optional<String> encryptionSecret();

        /** The active key is replaced by the next one this often (the scheduled policy). */
        @WithDefault("2160h")
        Duration rotationPeriod();

        /**
         * How long the next key is published before it may sign: longer than verifiers cache the
         * JWKS (we say max-age=60), so none meets a kid it has not fetched.
         */
        @WithDefault("2m")
        Duration publishAhead();
    }

    interface Registry {
        /** How often each replica checks whether the registry changed; a change is seen everywhere within it. */
        @WithDefault("1s")
        Duration pollInterval();

        /** The longest a cached subscription is served, a safety net behind the version poll. */
        @WithDefault("10m")
        Duration cacheTtl();

        @WithDefault("100000")
        long cacheMaxEntries();
    }

    /** Failed client authentications per client id before the token endpoint answers 429. */
    interface Lockout {
        @WithDefault("10")
        int maxFailures();

        @WithDefault("60s")
        Duration window();

        /** Failed authentications from one source address, any client id, before it gets 429 (NATs share addresses). */
        @WithDefault("100")
        int maxFailuresPerAddress();
    }

    /** The dev-mode demo: an API, an application and a subscription with known credentials. */
    interface Demo {
        @WithDefault("false")
        boolean enabled();

        @WithDefault("demo-client-echo")
        String clientId();

        Optional<String> clientSecret();

        /**
         * Where this server is reached on this machine, for the demo's upstreams (the samples of this
         * same process): it follows the port dev mode or the tests run on.
         */
        @WithDefault("http://localhost:${quarkus.http.port}")
        String localUrl();
    }

    /** An API's resource identifier: its public URL (RFC 9728 section 3.3, RFC 8707 section 2). */
    default String resourceIdentifier(String requestPath) {
        return baseUrl() + requestPath;
    }

    /**
     * The base URL a request used, which its DPoP proof names (RFC 9449 section 4.3): the TLS
     * listener's own URL when the request came over TLS and that listener has one (RFC 8705 section 5),
     * else {@link #baseUrl()}.
     */
    default String requestBaseUrl(boolean overTls) {
        if (overTls && mtls().publicUrl().isPresent()) {
            String url = mtls().publicUrl().get();
            return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        }
        return baseUrl();
    }

    /** The TLS listener's URL for {@code mtls_endpoint_aliases}, when it is not {@link #baseUrl()}. */
    default Optional<String> mtlsAliasBaseUrl() {
        String url = requestBaseUrl(true);
        return url.equals(baseUrl()) ? Optional.empty() : Optional.of(url);
    }

    /** {@link #publicUrl()} with any trailing slash removed. */
    default String baseUrl() {
        String url = publicUrl();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
