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
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

/**
 * A TCP relay between the application and its real PostgreSQL (or Redis), so a test can take the
 * server away and bring it back. The database's relay is switched through the platform MBean server,
 * because the test and the test resource that starts the relay may live in different class loaders,
 * and only the JVM's own state is shared between them; the switch acts before it returns, so no test
 * has to wait for it.
 */
public final class TcpProxy {
    private static final ObjectName SWITCH = switchName();

    /** What the database's relay offers over JMX: one write-only attribute. */
    public interface Switch {
        void setSwitchedOn(boolean reachable);
    }

    private boolean registered;

    private static ObjectName switchName() {
        try {
            return new ObjectName("io.portcullis.test:type=DatabaseRelay");
        } catch (javax.management.MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }

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
        Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Makes this relay the one {@link #setReachable} switches (the database's). */
    public TcpProxy asSwitch() {
        try {
            var server = ManagementFactory.getPlatformMBeanServer();
            if (server.isRegistered(SWITCH)) {
                server.unregisterMBean(SWITCH);
            }
            server.registerMBean(new javax.management.StandardMBean((Switch) this::switchTo, Switch.class), SWITCH);
            registered = true;
        } catch (javax.management.JMException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    private void switchTo(boolean reachable) {
        if (reachable) {
            restore();
        } else {
            cut();
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Called from the test side: cuts or restores the database's relay before it returns. */
    public static void setReachable(boolean value) {
        try {
            ManagementFactory.getPlatformMBeanServer().setAttribute(SWITCH, new javax.management.Attribute("SwitchedOn", value));
        } catch (javax.management.JMException e) {
            throw new IllegalStateException("no database relay is running (DatabaseProxyResource)", e);
        }
    }

    /** Cuts this relay now: open connections are closed and new ones refused before this returns. */
    public void cut() {
        reachable.set(false);
        for (Socket socket : open) {
            closeQuietly(socket);
            open.remove(socket);
        }
    }

    /** Lets connections through again. */
    public void restore() {
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
                // a relay that waits to fill its segments adds delayed-ACK pauses (~40 ms) to every query
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                open.add(client);
                open.add(upstream);
                if (!reachable.get()) {
                    // cut while this one was being connected: it must not outlive the cut
                    closeQuietly(client);
                    closeQuietly(upstream);
                    continue;
                }
                pipe(client, upstream);
                pipe(upstream, client);
            } catch (IOException e) {
                // next connection
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
        try {
            var mbeans = ManagementFactory.getPlatformMBeanServer();
            if (registered && mbeans.isRegistered(SWITCH)) {
                mbeans.unregisterMBean(SWITCH);
            }
        } catch (javax.management.JMException e) {
            // not registered by this relay
        }
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
