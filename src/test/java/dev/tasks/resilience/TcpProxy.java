package dev.tasks.resilience;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 (random port) that a test can cut. Used between the service and PostgreSQL
 * to play a database outage:
 * <ul>
 * <li>{@link Mode#OPEN}: every connection is relayed to the target;</li>
 * <li>{@link Mode#REFUSE}: the listening socket is closed, so connects fail at once (ECONNREFUSED);</li>
 * <li>{@link Mode#BLACKHOLE}: connects are accepted and then never answered, as from a peer that hangs.
 * Those sockets stay silent after {@link #restore()} too: only the client's own timeouts free them.</li>
 * </ul>
 * Entering REFUSE or BLACKHOLE closes every relayed connection, both sides, and so does
 * {@link #failOver(int)}, which relays new connections to another server from then on.
 */
public final class TcpProxy implements AutoCloseable {

    /** What the proxy does with connections. */
    public enum Mode {
        OPEN, REFUSE, BLACKHOLE
    }

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private InetSocketAddress target;
    private final int port;
    private final List<Socket> relayed = new ArrayList<>();
    private final List<Socket> held = new ArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger abandoned = new AtomicInteger();
    private ServerSocket listener;
    private Mode mode = Mode.OPEN;
    private boolean closed;

    public TcpProxy(String targetHost, int targetPort) throws IOException {
        this.target = new InetSocketAddress(targetHost, targetPort);
        this.listener = bind(0);
        this.port = listener.getLocalPort();
        startAcceptor(listener);
    }

    public int port() {
        return port;
    }

    public synchronized Mode mode() {
        return mode;
    }

    /** Connections accepted since start, relayed or held. */
    public int acceptedConnections() {
        return accepted.get();
    }

    /** Blackholed connections the client closed (gave up on). */
    public int abandonedConnections() {
        return abandoned.get();
    }

    /** Closes every relayed connection and answers new ones as {@code cutMode} says. */
    public synchronized void cut(Mode cutMode) throws IOException {
        if (cutMode == Mode.OPEN) {
            throw new IllegalArgumentException("a cut refuses or blackholes");
        }
        mode = cutMode;
        if (cutMode == Mode.REFUSE && listener != null) {
            listener.close();
            listener = null;
        }
        relayed.forEach(TcpProxy::closeQuietly);
        relayed.clear();
    }

    /**
     * A failover: closes every relayed connection and relays new ones to the server on {@code targetPort} of
     * 127.0.0.1, as a client's connections land on a promoted standby behind the same address.
     */
    public synchronized void failOver(int targetPort) {
        target = new InetSocketAddress(LOOPBACK, targetPort);
        relayed.forEach(TcpProxy::closeQuietly);
        relayed.clear();
    }

    /** Relays new connections again; held (blackholed) sockets stay silent. */
    public synchronized void restore() throws IOException {
        if (listener == null) {
            listener = bind(port);
            startAcceptor(listener);
        }
        mode = Mode.OPEN;
    }

    @Override
    public synchronized void close() {
        closed = true;
        closeQuietly(listener);
        relayed.forEach(TcpProxy::closeQuietly);
        held.forEach(TcpProxy::closeQuietly);
        relayed.clear();
        held.clear();
    }

    private static ServerSocket bind(int port) throws IOException {
        IOException last = null;
        // Rebinding the same port right after closing it can briefly fail; a few tries are enough.
        for (int attempt = 0; attempt < 20; attempt++) {
            ServerSocket socket = new ServerSocket();
            try {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(LOOPBACK, port), 128);
                return socket;
            } catch (IOException e) {
                closeQuietly(socket);
                last = e;
                sleep(100);
            }
        }
        throw last;
    }

    private void startAcceptor(ServerSocket socket) {
        Thread thread = new Thread(() -> acceptLoop(socket), "tcp-proxy-accept-" + port);
        thread.setDaemon(true);
        thread.start();
    }

    private void acceptLoop(ServerSocket socket) {
        while (!socket.isClosed()) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                return; // listener closed by cut() or close()
            }
            accepted.incrementAndGet();
            handle(client);
        }
    }

    private void handle(Socket client) {
        boolean hold;
        InetSocketAddress to;
        synchronized (this) {
            if (closed) {
                closeQuietly(client);
                return;
            }
            hold = mode == Mode.BLACKHOLE;
            to = target;
            if (hold) {
                held.add(client);
            }
        }
        if (hold) {
            swallow(client);
            return;
        }
        Socket upstream = new Socket();
        try {
            upstream.connect(to, 2_000);
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
        } catch (IOException e) {
            closeQuietly(client);
            closeQuietly(upstream);
            return;
        }
        synchronized (this) {
            if (closed || mode != Mode.OPEN || !to.equals(target)) {
                // A cut or a failover came while this connection was being opened: it must not survive it.
                closeQuietly(client);
                closeQuietly(upstream);
                return;
            }
            relayed.add(client);
            relayed.add(upstream);
        }
        pump(client, upstream);
        pump(upstream, client);
    }

    /** Reads and drops what a held client sends, answering nothing, until the client gives up. */
    private void swallow(Socket client) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[1024];
            try (InputStream in = client.getInputStream()) {
                while (in.read(buffer) >= 0) {
                    // dropped
                }
            } catch (IOException e) {
                // closed by close()
            } finally {
                closeQuietly(client);
                synchronized (this) {
                    if (held.remove(client)) {
                        abandoned.incrementAndGet();
                    }
                }
            }
        }, "tcp-proxy-hold-" + port);
        thread.setDaemon(true);
        thread.start();
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // Either side went away: the pair is finished.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                synchronized (this) {
                    relayed.remove(from);
                    relayed.remove(to);
                }
            }
        }, "tcp-proxy-pump-" + port);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            if (closeable instanceof Socket socket && !socket.isClosed()) {
                // Reset rather than a polite FIN: the peer learns at once that the connection is gone.
                socket.setSoLinger(true, 0);
            }
            closeable.close();
        } catch (SocketException ignored) {
            // already closed
        } catch (IOException ignored) {
            // nothing left to do with a socket that will not close
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
