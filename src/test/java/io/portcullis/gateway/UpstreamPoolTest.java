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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

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

    @Test
    void aNameServerThatNeverAnswersIsA504AtTheConnectTimeout() throws Exception {
        Vertx vertx = Vertx.vertx();
        List<String> outcomes = new CopyOnWriteArrayList<>();
        try (Unanswered names = new Unanswered()) {
            HttpServer server = vertx.createHttpServer().requestHandler(request -> {
                request.pause();
                EventLoop loop = ((ContextInternal) Vertx.currentContext()).nettyEventLoop();
                UpstreamPool pool = new UpstreamPool(loop, ((VertxInternal) vertx).transport().channelFactory(false), names,
                        "upstream.example", 80, null);
                DefaultHttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/", new DefaultHttpHeaders());
                pool.acquire(new UpstreamExchange(request, head, false, 60_000, (status, reason) -> outcomes.add(status + " " + reason)), 200);
            }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

            // before, the request waited for as long as the lookup did: here, for ever
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/x")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(504, response.statusCode());
            assertTrue(response.body().contains("\"gateway_timeout\""), response.body());
            assertEquals(List.of("504 ConnectTimeoutException"), outcomes);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
