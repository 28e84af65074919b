package dev.lain.testkit;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Plain HTTP/1.1 on loopback for tests of the webrouter: raw requests with any Host header (which
 * {@code java.net.http} refuses to set), TLS requests with a chosen SNI name, free ports, and echo
 * backends that say who answered.
 */
public final class LoopbackHttp {
  private LoopbackHttp() {}

  /** Sends one GET with {@code Host: host} to 127.0.0.1:port; returns the raw response. */
  public static String get(int port, String host, String path, String... headers)
      throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      return exchange(socket, request(host, path, headers));
    }
  }

  /** The same over TLS, with {@code host} as the SNI name, trusting what {@code tls} trusts. */
  public static String tlsGet(SSLContext tls, int port, String host, String path)
      throws IOException {
    return tlsGet(tls, port, host, path, host);
  }

  /** Over TLS with {@code sni} in the handshake and {@code host} in the Host header. */
  public static String tlsGet(SSLContext tls, int port, String sni, String path, String host)
      throws IOException {
    try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port)) {
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setServerNames(List.of(new SNIHostName(sni)));
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      return exchange(socket, request(host, path, new String[0]));
    }
  }

  /** The status code of a raw response. */
  public static int status(String response) {
    if (!response.startsWith("HTTP/1.1 ") || response.length() < 12) {
      throw new IllegalArgumentException("not an HTTP/1.1 response: " + response);
    }
    return Integer.parseInt(response.substring(9, 12));
  }

  /** The body of a raw response. */
  public static String body(String response) {
    int blank = response.indexOf("\r\n\r\n");
    return blank < 0 ? "" : response.substring(blank + 4);
  }

  private static String request(String host, String path, String[] headers) {
    StringBuilder request =
        new StringBuilder(
            "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n");
    for (String header : headers) {
      request.append(header).append("\r\n");
    }
    return request.append("\r\n").toString();
  }

  private static String exchange(Socket socket, String request) throws IOException {
    socket.setSoTimeout(10_000);
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    InputStream in = socket.getInputStream();
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  /** {@code n} distinct ports free on loopback a moment ago. */
  public static List<Integer> freePorts(int n) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
      }
      return sockets.stream().map(ServerSocket::getLocalPort).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // Closing a listening socket that never accepted does not fail in practice.
        }
      }
    }
  }

  /** Whether something accepts connections on 127.0.0.1:port. */
  public static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }

  /** Waits until 127.0.0.1:port accepts connections. */
  public static void awaitAccepting(int port, Duration atMost) throws InterruptedException {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (!accepts(port)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("nothing accepts connections on 127.0.0.1:" + port);
      }
      Thread.sleep(20);
    }
  }

  /**
   * A backend on 127.0.0.1 (ephemeral port) answering every request with one line: {@code name=NAME
   * uri=URI proto=X-Forwarded-Proto host=Host}.
   */
  public static HttpServer echo(String name) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
      server.createContext(
          "/",
          exchange -> {
            String body =
                "name="
                    + name
                    + " uri="
                    + exchange.getRequestURI()
                    + " proto="
                    + exchange.getRequestHeaders().getFirst("X-Forwarded-Proto")
                    + " host="
                    + exchange.getRequestHeaders().getFirst("Host")
                    + "\n";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(bytes);
            }
          });
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
