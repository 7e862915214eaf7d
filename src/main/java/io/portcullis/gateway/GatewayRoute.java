package io.portcullis.gateway;

import io.portcullis.limits.LimitsStore;
import io.portcullis.limits.Windows;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;

import io.portcullis.config.PortcullisConfig;
import io.portcullis.registry.ApiView;
import io.portcullis.registry.RegisteredClient;
import io.portcullis.registry.PlanView;
import io.portcullis.registry.Registry;
import io.portcullis.resource.AccessTokenGuard;
import io.portcullis.resource.BearerError;
import io.portcullis.token.VerifiedToken;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Optional;

/**
 * The gateway (docs/contract.md#gateway): every registered API at {@code {publicUrl}{requestPath}/…},
 * behind bearer-token checks, proxied to its upstream. It runs on the event loop before the REST
 * resources; a path that is no API's falls through to them. A warm request reads no database.
 */
@ApplicationScoped
public class GatewayRoute {
    private static final java.util.regex.Pattern AMBIGUOUS = java.util.regex.Pattern.compile("[;\\\\]|%2[fF]|%5[cC]|%2[eE]");

    /** A request that passed this many Portcullis gateways is going round in circles. */
    private static final int MAX_HOPS = 8;

    private final Registry registry;
    private final AccessTokenGuard guard;
    /** X-Forwarded-Proto and -Host come from the public URL, never from the request. */
    private final String publicScheme;
    private final String publicHost;
    private final LimitsStore limits;
    private final UpstreamProxy proxy;
    private final PortcullisConfig config;
    private final io.portcullis.ops.Metrics metrics;
    private final io.portcullis.mtls.ClientCertificates certificates;

    public GatewayRoute(Registry registry, AccessTokenGuard guard, LimitsStore limits, UpstreamProxy proxy,
                        PortcullisConfig config, io.portcullis.ops.Metrics metrics, io.portcullis.mtls.ClientCertificates certificates) {
        this.certificates = certificates;
        // the beans themselves, not their client proxies: a proxy looks its instance up on every call, 2% of a
        // warm gateway request's CPU samples in async-profiler (created at run time, so unwrapping is safe)
        this.metrics = io.quarkus.arc.ClientProxy.unwrap(metrics);
        this.registry = io.quarkus.arc.ClientProxy.unwrap(registry);
        this.guard = io.quarkus.arc.ClientProxy.unwrap(guard);
        java.net.URI publicUrl = java.net.URI.create(config.baseUrl());
        this.publicScheme = publicUrl.getScheme();
        this.publicHost = publicUrl.getRawAuthority();
        this.limits = limits;
        this.proxy = io.quarkus.arc.ClientProxy.unwrap(proxy);
        this.config = config;
    }

    /**
     * Ahead of Quarkus's own filters (HTTP authentication at -200, the REST layer's URI-template
     * handler at -199): the gateway checks its tokens itself, and those two were ~7% of a warm gateway
     * request's CPU in a JFR profile (the template handler builds a path matcher per request). The
     * correlation id ({@link io.portcullis.ops.RequestLog#ORDER}) comes first.
     */
    static final int ORDER = io.portcullis.ops.RequestLog.ORDER + 1;

    void register(@Observes Router router) {
        router.route().order(ORDER).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        Optional<ApiView> match = registry.apiForPath(path);
        if (match.isEmpty()) {
            ctx.next();
            return;
        }
        ApiView api = match.get();
        HttpServerRequest request = ctx.request();
        if (AMBIGUOUS.matcher(request.path()).find()) {
            // ';' parameters and encoded slashes or backslashes mean one path here and another upstream
            // (a route's scope must not be skipped, and no request may leave the API's upstream path)
            GatewayResponses.error(ctx.response(), 400, "invalid_request", "The path has characters the gateway does not forward");
            return;
        }
        long start = System.nanoTime();
        ctx.addEndHandler(ended -> metrics.gatewayRequest(api.id(), ctx.response().getStatusCode(), System.nanoTime() - start));
        request.pause();
        String rest = path.substring(api.requestPath().length());
        AccessTokenGuard.Authenticated authenticated;
        try {
            java.util.List<String> proofs = request.headers().getAll("DPoP");
            // the URL a proof must name (RFC 9449 section 4.3), built only when there is a proof to check it against
            String url = proofs.isEmpty() ? null : config.requestBaseUrl(request.isSSL()) + request.path();
            authenticated = guard.authenticateWithProof(api, new AccessTokenGuard.Request(request.headers().getAll("Authorization"),
                    proofs, request.method().name(), url, () -> certificates.thumbprint(request)), System.currentTimeMillis() / 1000);
        } catch (BearerError e) {
            refuse(ctx, api, e);
            return;
        }
        VerifiedToken token = authenticated.token();
        if (authenticated.proofId() != null && limits.shared()) {
            // RFC 9449 section 11.1: a proof replayed at another replica is refused too
            Context context = Vertx.currentContext();
            limits.firstUse("dpop:" + authenticated.proofId(), authenticated.proofExpiresAt() * 1000).whenComplete((first, failure) ->
                    context.runOnContext(v -> answered(ctx, () -> {
                        if (failure == null && first) {
                            withSubscription(ctx, api, token, rest);
                        } else {
                            refuse(ctx, api, BearerError.dpop(api.id(), "invalid_dpop_proof", "The DPoP proof was used before"));
                        }
                    })));
            return;
        }
        withSubscription(ctx, api, token, rest);
    }

    private void withSubscription(RoutingContext ctx, ApiView api, VerifiedToken token, String rest) {
        HttpServerRequest request = ctx.request();
        Optional<RegisteredClient> cached = registry.cachedClient(token.clientId());
        if (cached != null) {
            authorize(ctx, api, token, cached, rest);
            return;
        }
        // a subscription not seen yet: read it off the event loop
        ctx.vertx().<Optional<RegisteredClient>>executeBlocking(() -> registry.client(token.clientId()), false)
                .onComplete(loaded -> {
                    if (loaded.failed()) {
                        request.resume();
                        GatewayResponses.error(ctx.response(), 503, "temporarily_unavailable",
                                "The gateway cannot check the subscription right now");
                        return;
                    }
                    authorize(ctx, api, token, loaded.result(), rest);
                });
    }

    private void authorize(RoutingContext ctx, ApiView api, VerifiedToken token, Optional<RegisteredClient> client, String rest) {
        HttpServerRequest request = ctx.request();
        try {
            guard.authorize(api, token, client, request.method().name(), rest.isEmpty() ? "/" : rest);
        } catch (BearerError e) {
            refuse(ctx, api, e);
            return;
        }
        PlanView plan = registry.plan(client.get().planId()).orElse(null);
        if (plan == null || plan.rateLimitPerMinute() == null) {
            forward(ctx, api, token, rest);
            return;
        }
        int limit = plan.rateLimitPerMinute();
        CompletableFuture<Windows.Count> counted = limits.add(PlanRateLimiter.key(token.subscriptionId()), PlanRateLimiter.WINDOW, limit)
                .toCompletableFuture();
        if (counted.isDone()) {
            limited(ctx, api, token, rest, counted.join(), limit);
            return;
        }
        // Redis is asked: the answer comes back on this request's context, never on another thread
        Context context = Vertx.currentContext();
        counted.whenComplete((count, failure) -> context.runOnContext(v -> answered(ctx, () -> {
            if (failure != null) {
                throw new IllegalStateException("the plan's limit could not be counted", failure);
            }
            limited(ctx, api, token, rest, count, limit);
        })));
    }

    /** Work resumed outside the router: a failure in it is the router's to answer, never a request left hanging. */
    private static void answered(RoutingContext ctx, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            ctx.request().resume();
            ctx.fail(e);
        }
    }

    private void limited(RoutingContext ctx, ApiView api, VerifiedToken token, String rest, Windows.Count count, int limit) {
        long retryAfter = PlanRateLimiter.retryAfter(count, limit, System.currentTimeMillis());
        if (retryAfter > 0) {
            ctx.request().resume();
            ctx.response().putHeader("Retry-After", Long.toString(retryAfter));
            GatewayResponses.error(ctx.response(), 429, "rate_limited", "The plan allows " + limit + " requests per minute");
            return;
        }
        forward(ctx, api, token, rest);
    }

    private void forward(RoutingContext ctx, ApiView api, VerifiedToken token, String rest) {
        HttpServerRequest request = ctx.request();
        if (UpstreamHeaders.hops(request.headers()) >= MAX_HOPS) {
            request.resume();
            GatewayResponses.error(ctx.response(), 508, "loop_detected", "The request is looping through the gateway");
            return;
        }
        io.vertx.core.http.impl.headers.HeadersMultiMap headers;
        try {
            headers = UpstreamHeaders.toUpstream(request.headers(), api, token,
                    request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress(), publicScheme, publicHost);
        } catch (IllegalArgumentException e) {
            // a value HTTP/1.1 cannot carry (CR, LF, NUL: HTTP/2's decoder lets values through unchecked)
            request.resume();
            GatewayResponses.error(ctx.response(), 400, "invalid_request", "A header value cannot be forwarded");
            return;
        }
        proxy.forward(request, api, rest, headers, (status, reason) -> metrics.upstreamFailure(api.id(),
                status == 504 ? "timeout" : reason.contains("Connect") ? "refused" : "failed"));
    }

    private void refuse(RoutingContext ctx, ApiView api, BearerError e) {
        ctx.request().resume();
        GatewayResponses.bearer(ctx.response(), e,
                config.baseUrl() + "/.well-known/oauth-protected-resource" + api.requestPath());
    }
}
