package kafkasuite;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP proxy on 127.0.0.1 that can be cut: while cut, live connections are closed and new
 * ones are closed on accept. A client behind it goes silent to the server, as a broker in a
 * long pause does, so its session expires while the client keeps trying to reconnect.
 */
final class TcpProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final InetSocketAddress upstream;
  private final List<Socket> open = new ArrayList<>();
  private boolean cut;
  private final Thread acceptor;

  TcpProxy(String upstreamHost, int upstreamPort) throws IOException {
    upstream = new InetSocketAddress(upstreamHost, upstreamPort);
    listener = new ServerSocket(0, 16, InetAddress.getByName("127.0.0.1"));
    acceptor = new Thread(this::acceptLoop, "proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String hostPort() {
    return "127.0.0.1:" + listener.getLocalPort();
  }

  synchronized void cut() {
    cut = true;
    for (Socket s : open) closeQuietly(s);
    open.clear();
  }

  synchronized void restore() {
    cut = false;
  }

  @Override
  public void close() {
    cut();
    closeQuietly(listener);
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return;
      }
      Socket server = new Socket();
      try {
        synchronized (this) {
          if (cut) throw new IOException("cut");
        }
        server.connect(upstream, 5000);
      } catch (IOException e) {
        closeQuietly(client);
        closeQuietly(server);
        continue;
      }
      synchronized (this) {
        open.add(client);
        open.add(server);
      }
      pump(client, server);
      pump(server, client);
    }
  }

  private static void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[65536];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buf)) >= 0) out.write(buf, 0, n);
      } catch (IOException e) {
        // Closed by cut() or by either end.
      }
      closeQuietly(from);
      closeQuietly(to);
    }, "proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // Nothing to do.
    }
  }
}
