package io.portcullis.gateway;

import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.InetNameResolver;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The connect timeout bounds the whole of connecting, the name's lookup included. */
class UpstreamPoolTest {

    /** A name server that never answers: every lookup stays pending. */
    static final class Unanswered extends AddressResolverGroup<InetSocketAddress> {
        @Override
        protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
            return new InetNameResolver(executor) {
                @Override
                protected void doResolve(String host, Promise<InetAddress> promise) {
                }

                @Override
                protected void doResolveAll(String host, Promise<List<InetAddress>> promise) {
                }
            }.asAddressResolver();
        }
    }

    /** The first lookup is left unanswered until the test answers it; every later one is answered at once. */
    static final class AnsweredLate extends AddressResolverGroup<InetSocketAddress> {
        final CompletableFuture<Promise<InetAddress>> first = new CompletableFuture<>();

        @Override
        protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
            return new InetNameResolver(executor) {
                @Override
                protected void doResolve(String host, Promise<InetAddress> promise) {
                    if (!first.complete(promise)) {
                        promise.setSuccess(InetAddress.getLoopbackAddress());
                    }
                }

                @Override
                protected void doResolveAll(String host, Promise<List<InetAddress>> promise) {
                    promise.setSuccess(List.of(InetAddress.getLoopbackAddress()));
                }
            }.asAddressResolver();
        }
    }

    static HttpResponse<String> get(int port) throws Exception {
        return HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/x")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A gateway of one pool, for the name upstream.example at the given port, with 200 ms to connect. */
    static HttpServer gateway(Vertx vertx, AddressResolverGroup<InetSocketAddress> names, int upstreamPort, List<String> outcomes) throws Exception {
        AtomicReference<UpstreamPool> pool = new AtomicReference<>();
        return vertx.createHttpServer().requestHandler(request -> {
            request.pause();
            EventLoop loop = ((ContextInternal) Vertx.currentContext()).nettyEventLoop();
            pool.compareAndSet(null, new UpstreamPool(loop, ((VertxInternal) vertx).transport().channelFactory(false), names,
                    "upstream.example", upstreamPort, null));
            DefaultHttpHeaders headers = new DefaultHttpHeaders();
            headers.set("Host", "upstream.example");
            DefaultHttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/", headers);
            pool.get().acquire(new UpstreamExchange(request, head, false, 60_000, (status, reason) -> outcomes.add(status + " " + reason)), 200);
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aNameServerThatNeverAnswersIsA504AtTheConnectTimeout() throws Exception {
        Vertx vertx = Vertx.vertx();
        List<String> outcomes = new CopyOnWriteArrayList<>();
        try (Unanswered names = new Unanswered()) {
            HttpServer server = gateway(vertx, names, 80, outcomes);
            // before, the request waited for as long as the lookup did: here, for ever
            HttpResponse<String> response = get(server.actualPort());
            assertEquals(504, response.statusCode());
            assertTrue(response.body().contains("\"gateway_timeout\""), response.body());
            assertEquals(List.of("504 ConnectTimeoutException"), outcomes);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void requestsQueueBehindALookupAndALateAnswerConnectsNothingForTheAnsweredOne() throws Exception {
        Vertx vertx = Vertx.vertx();
        List<String> outcomes = new CopyOnWriteArrayList<>();
        try (AnsweredLate names = new AnsweredLate()) {
            HttpServer upstream = vertx.createHttpServer().requestHandler(request -> request.response().end("upstream"))
                    .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            HttpServer server = gateway(vertx, names, upstream.actualPort(), outcomes);

            assertEquals(504, get(server.actualPort()).statusCode(), "the lookup's own request");
            // the name is still being looked up: the next request waits in the queue, no second lookup
            assertEquals(504, get(server.actualPort()).statusCode(), "a request queued behind the lookup");
            assertEquals(List.of("504 ConnectTimeoutException", "504 TimeoutException"), outcomes);

            // the answer comes after both were answered: nothing is answered twice, and the pool is whole
            names.first.get(10, TimeUnit.SECONDS).setSuccess(InetAddress.getLoopbackAddress());
            HttpResponse<String> after = get(server.actualPort());
            assertEquals(200, after.statusCode());
            assertEquals("upstream", after.body());
            assertEquals(2, outcomes.size(), outcomes.toString());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
