import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;

/**
 * The benchmark's upstream: answers every request with a small fixed body, on Vert.x (the JDK's
 * own HTTP server adds ~40 ms per request on keep-alive connections, which would hide everything).
 * Run with the application's own libraries: java -cp 'target/quarkus-app/lib/main/*' bench/TrivialUpstream.java PORT
 */
public class TrivialUpstream {
    public static void main(String[] args) {
        int port = Integer.parseInt(args.length > 0 ? args[0] : "18090");
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        Buffer body = Buffer.buffer("{\"ok\":true}");
        vertx.createHttpServer()
                .requestHandler(request -> request.body().onComplete(ignored ->
                        request.response().putHeader("Content-Type", "application/json").end(body)))
                .listen(port, "127.0.0.1")
                .onSuccess(server -> System.out.println("trivial upstream on 127.0.0.1:" + port))
                .onFailure(e -> { e.printStackTrace(); System.exit(1); });
    }
}
