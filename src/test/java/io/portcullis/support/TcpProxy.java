package io.portcullis.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP relay between the application and its real PostgreSQL, so a test can take the database
 * away and bring it back. It is switched through a system property, polled, because the test and
 * the test resource that starts the relay may live in different class loaders, and only the JVM's
 * own state is shared between them.
 */
public final class TcpProxy {
    public static final String SWITCH = "io.portcullis.test.database-reachable";

    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final AtomicBoolean reachable = new AtomicBoolean(true);
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    public TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        System.setProperty(SWITCH, "true");
        Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        Thread watcher = new Thread(this::watch, "tcp-proxy-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Called from the test side: flips the switch that the relay obeys. */
    public static void setReachable(boolean value) {
        System.setProperty(SWITCH, Boolean.toString(value));
    }

    /** Cuts this relay now: open connections are closed and new ones refused before this returns. */
    public void cut() {
        setReachable(false);
        reachable.set(false);
        for (Socket socket : open) {
            closeQuietly(socket);
            open.remove(socket);
        }
    }

    /** Lets connections through again. */
    public void restore() {
        setReachable(true);
        reachable.set(true);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (!reachable.get()) {
                    client.close(); // as if the server were down
                    continue;
                }
                Socket upstream = new Socket(targetHost, targetPort);
                open.add(client);
                open.add(upstream);
                pipe(client, upstream);
                pipe(upstream, client);
            } catch (IOException e) {
                // next connection
            }
        }
    }

    /** Cuts every open connection as soon as the switch goes off. */
    private void watch() {
        while (!server.isClosed()) {
            reachable.set(!"false".equals(System.getProperty(SWITCH)));
            if (!reachable.get()) {
                for (Socket socket : open) {
                    closeQuietly(socket);
                    open.remove(socket);
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "tcp-proxy-pipe");
        thread.setDaemon(true);
        thread.start();
    }

    public void close() {
        closeQuietly(server);
        open.forEach(TcpProxy::closeQuietly);
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
