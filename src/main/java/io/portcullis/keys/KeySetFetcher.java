package io.portcullis.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.portcullis.registry.TrustedIssuerDefinition;
import io.portcullis.registry.TrustedIssuerView;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * One fetch of a key set over HTTP, within the limits of docs/contract.md#token-endpoint: https only
 * (http only to a loopback address), no redirects, at most 64 KiB, a 2 s budget; for a trusted issuer,
 * OIDC discovery, its CA file and its bearer token file too. {@link RemoteKeySets} decides when to
 * fetch and keeps what was fetched.
 */
final class KeySetFetcher implements AutoCloseable {
    static final int MAX_BYTES = 64 * 1024;
    static final Duration BUDGET = Duration.ofSeconds(2);
    static final int MAX_BEARER_BYTES = 16 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ExecutorService fetchers = Executors.newFixedThreadPool(2, r -> {
        Thread thread = new Thread(r, "jwks-fetch");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient http = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(BUDGET)
            .executor(fetchers)
            .build();
    /** Clients that trust one issuer's CA file, by the file's path and version. */
    private final Cache<String, HttpClient> trustingClients = Caffeine.newBuilder().maximumSize(100).build();
    private final Path fileRoot;
    private final List<String> bearerTokenHosts;

    /**
     * @param fileRoot         the directory an issuer's CA and bearer token files must be in (portcullis.federation.file-root)
     * @param bearerTokenHosts the only hosts a bearer token goes to (portcullis.federation.bearer-token-hosts)
     */
    KeySetFetcher(Path fileRoot, List<String> bearerTokenHosts) {
        this.fileRoot = fileRoot.toAbsolutePath().normalize();
        this.bearerTokenHosts = List.copyOf(bearerTokenHosts);
    }

    CompletableFuture<List<JsonWebKey>> fetch(String uri) {
        return get(http, uri, null).thenApply(KeySetFetcher::publicKeys);
    }

    /**
     * OIDC Discovery 1.0 section 4 when the issuer asks for it: the document at
     * {@code {issuer}/.well-known/openid-configuration} must name the same issuer, and its
     * {@code jwks_uri} is then fetched. The bearer token goes only to the URLs the admin named (the
     * issuer's origin, or its jwksUri), never to a host a discovery document names. One budget for all.
     */
    CompletableFuture<List<JsonWebKey>> fetch(TrustedIssuerView issuer) {
        CompletableFuture<List<JsonWebKey>> result;
        try {
            TrustedIssuerDefinition d = issuer.definition();
            HttpClient client = d.caFile() == null ? http : clientTrusting(readable(d.caFile()));
            String bearer = d.bearerTokenFile() == null ? null : bearerToken(readable(d.bearerTokenFile()));
            if (Boolean.TRUE.equals(d.discovery())) {
                String base = d.issuer().endsWith("/") ? d.issuer().substring(0, d.issuer().length() - 1) : d.issuer();
                String discoveryUrl = base + "/.well-known/openid-configuration";
                result = get(client, discoveryUrl, bearerFor(discoveryUrl, bearer, d)).thenCompose(body -> {
                    String jwksUri = discoveredKeySet(body, d.issuer());
                    // a discovery document names no loopback target for a remote issuer, and gets no token sent on
                    if (!loopback(URI.create(d.issuer())) && loopback(URI.create(jwksUri))) {
                        throw new IllegalStateException("a remote issuer's discovery names a loopback jwks_uri");
                    }
                    return get(client, jwksUri, sameOrigin(jwksUri, d.issuer()) ? bearerFor(jwksUri, bearer, d) : null);
                }).thenApply(KeySetFetcher::publicKeys);
            } else {
                result = get(client, d.jwksUri(), bearerFor(d.jwksUri(), bearer, d)).thenApply(KeySetFetcher::publicKeys);
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return result.orTimeout(BUDGET.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The bearer token for {@code url} only when it goes over https to a configured host with the
     * issuer's CA: the registry refuses anything else, and this holds it again for what is stored.
     */
    private String bearerFor(String url, String bearer, TrustedIssuerDefinition d) {
        if (bearer == null) {
            return null;
        }
        URI target = URI.create(url);
        if (d.caFile() == null || !"https".equalsIgnoreCase(target.getScheme()) || !bearerTokenHosts.contains(target.getHost())) {
            throw new IllegalStateException("a bearer token goes only over https to a host of portcullis.federation.bearer-token-hosts");
        }
        return bearer;
    }

    private static boolean loopback(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost();
        return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
    }

    /** The body of a 200 answer, at most 64 KiB, within the budget; redirects are not followed. */
    private CompletableFuture<byte[]> get(HttpClient client, String uri, String bearer) {
        URI target;
        try {
            target = URI.create(uri);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new IOException("not a URL"));
        }
        if (!allowed(target)) {
            return CompletableFuture.failedFuture(new IOException("only https, or http to a loopback address"));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(BUDGET).header("Accept", "application/json").GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        CompletableFuture<HttpResponse<byte[]>> exchange = client.sendAsync(request.build(),
                info -> info.statusCode() == 200 ? new LimitedBody(MAX_BYTES) : HttpResponse.BodySubscribers.replacing(null));
        return exchange.orTimeout(BUDGET.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((response, failure) -> {
                    if (failure != null) {
                        // the budget is spent: the exchange ends here too
                        exchange.cancel(true);
                    }
                })
                .thenApply(response -> {
                    if (response.statusCode() != 200 || response.body() == null) {
                        // redirects included: they are not followed
                        throw new IllegalStateException("status " + response.statusCode());
                    }
                    return response.body();
                });
    }

    private static List<JsonWebKey> publicKeys(byte[] body) {
        try {
            List<JsonWebKey> keys = new JsonWebKeySet(new String(body, StandardCharsets.UTF_8)).getJsonWebKeys();
            // asymmetric public keys only: no secret key, no private part (RFC 7517 section 4)
            return keys.stream().filter(k -> k instanceof PublicJsonWebKey p && p.getPrivateKey() == null).toList();
        } catch (JoseException e) {
            throw new IllegalStateException("not a JWK set");
        }
    }

    private static String discoveredKeySet(byte[] body, String issuer) {
        try {
            JsonNode document = JSON.readTree(body);
            if (!issuer.equals(document.path("issuer").asText(null))) {
                throw new IllegalStateException("the discovery document names another issuer");
            }
            String jwksUri = document.path("jwks_uri").asText(null);
            if (jwksUri == null) {
                throw new IllegalStateException("the discovery document has no jwks_uri");
            }
            return jwksUri;
        } catch (IOException e) {
            throw new IllegalStateException("the discovery document is not JSON");
        }
    }

    static boolean sameOrigin(String a, String b) {
        try {
            URI x = URI.create(a);
            URI y = URI.create(b);
            return Objects.equals(x.getScheme(), y.getScheme()) && Objects.equals(x.getHost(), y.getHost())
                    && effectivePort(x) == effectivePort(y);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int effectivePort(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** A file below {@code portcullis.federation.file-root} once links are followed, else an error. */
    private Path readable(String file) throws IOException {
        Path real = Path.of(file).toRealPath();
        if (!real.startsWith(fileRoot.toRealPath())) {
            throw new IOException("outside portcullis.federation.file-root");
        }
        return real;
    }

    /** Read at each fetch: kubelet rotates a projected token long before it expires. */
    private static String bearerToken(Path file) throws IOException {
        if (Files.size(file) > MAX_BEARER_BYTES) {
            throw new IOException("the bearer token file is too large");
        }
        String token = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (token.isEmpty() || token.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f)) {
            throw new IOException("the bearer token file does not hold one token");
        }
        return token;
    }

    /** A client trusting exactly the certificates of a PEM file, kept while the file is unchanged. */
    private HttpClient clientTrusting(Path caFile) throws IOException, GeneralSecurityException {
        String key = caFile + " " + Files.getLastModifiedTime(caFile).toMillis() + " " + Files.size(caFile);
        HttpClient cached = trustingClients.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        if (Files.size(caFile) > MAX_BYTES) {
            throw new IOException("the CA file is too large");
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        try (InputStream in = Files.newInputStream(caFile)) {
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
        }
        if (i == 0) {
            throw new IOException("the CA file holds no certificate");
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        HttpClient client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(BUDGET)
                .executor(fetchers)
                .sslContext(tls)
                .build();
        trustingClients.put(key, client);
        return client;
    }

    /** https, or http to a loopback address named literally (no name a resolver could turn elsewhere). */
    static boolean allowed(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost();
        if (scheme.equals("https")) {
            return !host.isEmpty();
        }
        return scheme.equals("http") && (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]"));
    }

    @Override
    public void close() {
        fetchers.shutdownNow();
    }
}
