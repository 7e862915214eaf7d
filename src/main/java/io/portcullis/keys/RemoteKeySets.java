package io.portcullis.keys;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.config.PortcullisConfig;
import io.portcullis.registry.TrustedIssuerDefinition;
import io.portcullis.registry.TrustedIssuerView;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Key sets published at a URL (a client's {@code jwks_uri}, RFC 7591 section 2; a trusted issuer's
 * {@code jwksUri} or its OIDC discovery document's {@code jwks_uri}), fetched off the request path with the limits of docs/contract.md#token-endpoint: https only (http only to a loopback
 * address), no redirects, at most 64 KiB, a 2 s budget; cached, refreshed in the background when
 * older than five minutes, the last good set served while the host is down, and at most one refetch
 * per URL every 30 s for a {@code kid} the set lacks (or after a failed fetch).
 *
 * <p>A slow or hostile key host never holds a request thread: a request uses what is cached. Only the
 * very first use of a source, or the first request naming a kid the set lacks (once per 30 s), may
 * wait for its fetch, within the budget, and never more than {@value #FIRST_FETCH_WAITERS} requests at
 * once; the others are answered at once.
 */
@ApplicationScoped
public class RemoteKeySets {
    private static final Logger LOG = Logger.getLogger(RemoteKeySets.class);
    static final int MAX_BYTES = 64 * 1024;
    static final Duration BUDGET = Duration.ofSeconds(2);
    static final Duration MAX_AGE = Duration.ofMinutes(5);
    static final Duration REFETCH_AFTER = Duration.ofSeconds(30);
    static final int FIRST_FETCH_WAITERS = 2;
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
    /** Registered URLs are few (an admin registers each); bounded all the same. */
    private final Cache<String, Entry> entries = Caffeine.newBuilder().maximumSize(10_000).expireAfterAccess(Duration.ofDays(1)).build();
    private final Semaphore firstFetchWaiters = new Semaphore(FIRST_FETCH_WAITERS);
    /** Clients that trust one issuer's CA file, by the file's path and version. */
    private final Cache<String, HttpClient> trustingClients = Caffeine.newBuilder().maximumSize(100).build();

    private static final class Entry {
        volatile List<JsonWebKey> keys;
        volatile long fetchedAt;
        /** When a fetch was last started that the 30 s rule limits (unknown kid, or after a failure). */
        volatile long lastLimitedFetch;
        volatile boolean lastFailed;
        CompletableFuture<Void> inflight;
    }

    private final Path fileRoot;

    public RemoteKeySets(PortcullisConfig config) {
        this.fileRoot = Path.of(config.federation().fileRoot()).toAbsolutePath().normalize();
    }

    /** The keys of the set at {@code uri} as this replica has them now; empty when it has none yet. */
    public List<JsonWebKey> keys(String uri, String kid) {
        return keys("uri " + uri, () -> fetch(uri), kid);
    }

    /**
     * A trusted issuer's keys as this replica has them now (docs/contract.md#federated-workload-identity),
     * from its {@code jwksUri} or through OIDC discovery, with its CA and bearer token when it has them.
     */
    public List<JsonWebKey> keys(TrustedIssuerView issuer, String kid) {
        return keys(issuer.keySourceKey(), () -> fetch(issuer), kid);
    }

    private List<JsonWebKey> keys(String source, Supplier<CompletableFuture<List<JsonWebKey>>> fetcher, String kid) {
        Entry entry = entries.get(source, u -> new Entry());
        long now = System.currentTimeMillis();
        List<JsonWebKey> keys = entry.keys;
        if (keys == null) {
            awaitWithinBudget(refresh(fetcher, entry, now, entry.lastFailed));
            return entry.keys == null ? List.of() : entry.keys;
        }
        if (now - entry.fetchedAt > MAX_AGE.toMillis()) {
            refresh(fetcher, entry, now, entry.lastFailed);
        }
        if (kid != null && keys.stream().noneMatch(k -> kid.equals(k.getKeyId()))) {
            // a key rotated at the host is picked up by the request that first names it (once per 30 s)
            awaitWithinBudget(refresh(fetcher, entry, now, true));
            return entry.keys;
        }
        return keys;
    }

    /** Waits for a fetch within the budget, if one runs and no more than {@value #FIRST_FETCH_WAITERS} already wait. */
    private void awaitWithinBudget(CompletableFuture<Void> fetch) {
        if (fetch != null && firstFetchWaiters.tryAcquire()) {
            try {
                fetch.get(BUDGET.toMillis() + 200, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                // the fetch says what happened; this request is answered with what there is
            } finally {
                firstFetchWaiters.release();
            }
        }
    }

    /** Starts a fetch unless one is running, or a limited one ran within 30 s; null when none runs. */
    private CompletableFuture<Void> refresh(Supplier<CompletableFuture<List<JsonWebKey>>> fetcher, Entry entry, long now, boolean limited) {
        synchronized (entry) {
            if (entry.inflight != null && !entry.inflight.isDone()) {
                return entry.inflight;
            }
            if (limited) {
                if (now - entry.lastLimitedFetch < REFETCH_AFTER.toMillis()) {
                    return null;
                }
                entry.lastLimitedFetch = now;
            }
            entry.inflight = fetcher.get().handle((keys, failure) -> {
                if (failure != null) {
                    // the last good set stays; the next try waits for the 30 s rule
                    entry.lastFailed = true;
                    entry.lastLimitedFetch = System.currentTimeMillis();
                    LOG.debugf("A key set could not be fetched (%s)", rootName(failure));
                } else {
                    entry.keys = keys;
                    entry.fetchedAt = System.currentTimeMillis();
                    entry.lastFailed = false;
                }
                return null;
            });
            return entry.inflight;
        }
    }

    CompletableFuture<List<JsonWebKey>> fetch(String uri) {
        return get(http, uri, null).thenApply(RemoteKeySets::publicKeys);
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
                result = get(client, base + "/.well-known/openid-configuration", bearer).thenCompose(body -> {
                    String jwksUri = discoveredKeySet(body, d.issuer());
                    return get(client, jwksUri, sameOrigin(jwksUri, d.issuer()) ? bearer : null);
                }).thenApply(RemoteKeySets::publicKeys);
            } else {
                result = get(client, d.jwksUri(), bearer).thenApply(RemoteKeySets::publicKeys);
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return result.orTimeout(BUDGET.toMillis(), TimeUnit.MILLISECONDS);
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
                info -> info.statusCode() == 200 ? new Limited(MAX_BYTES) : HttpResponse.BodySubscribers.replacing(null));
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

    private static String rootName(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName();
    }

    @PreDestroy
    void stop() {
        fetchers.shutdownNow();
    }

    /** A body of at most {@code max} bytes: past it, the exchange is cancelled and fails. */
    static final class Limited implements HttpResponse.BodySubscriber<byte[]> {
        private final HttpResponse.BodySubscriber<byte[]> inner = HttpResponse.BodySubscribers.ofByteArray();
        private final int max;
        private long seen;
        private Flow.Subscription subscription;
        private boolean failed;

        Limited(int max) {
            this.max = max;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return inner.getBody();
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            inner.onSubscribe(subscription);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (failed) {
                return;
            }
            for (ByteBuffer item : items) {
                seen += item.remaining();
            }
            if (seen > max) {
                failed = true;
                subscription.cancel();
                inner.onError(new IOException("the key set is larger than " + max + " bytes"));
                return;
            }
            inner.onNext(items);
        }

        @Override
        public void onError(Throwable throwable) {
            if (!failed) {
                inner.onError(throwable);
            }
        }

        @Override
        public void onComplete() {
            if (!failed) {
                inner.onComplete();
            }
        }
    }
}
