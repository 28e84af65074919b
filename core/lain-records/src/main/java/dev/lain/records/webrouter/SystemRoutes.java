package dev.lain.records.webrouter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lain.store.KeyValue;
import dev.lain.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Cluster services the webrouters serve beside the apps, at {@code /lain/webrouter/system/<name>}:
 * a service named {@code registry} is served at {@code registry.<domain>} (and {@code
 * registry.lain}, {@code registry.<extra domain>}), as LAIN served its registry app. The daemon
 * that runs the service publishes where it listens.
 */
public final class SystemRoutes {
  public static final String PREFIX = "/lain/webrouter/system/";

  /** The cluster registry's route, published by the node that runs it. */
  public static final String REGISTRY = "registry";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,30}");
  private static final Pattern BACKEND = Pattern.compile("(\\d{1,3}(\\.\\d{1,3}){3}):(\\d{1,5})");

  private SystemRoutes() {}

  /**
   * A system service and its backends.
   *
   * @param name the service, also the first label of its hosts
   * @param backends {@code ip:port} each
   */
  public record SystemRoute(String name, List<String> backends) {
    public SystemRoute {
      Objects.requireNonNull(name, "name");
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("bad system service name: " + name);
      }
      backends = List.copyOf(backends);
      for (String b : backends) {
        parse(b);
      }
    }

    /** The upstream name: two parts, so never one of an app's {@code app.type.proc} groups. */
    public String upstream() {
      return "lain." + name;
    }

    /** The backends as addresses. */
    public List<Endpoint> endpoints() {
      return backends.stream().map(SystemRoutes::parse).toList();
    }
  }

  /** An IPv4 address and a port. */
  public record Endpoint(String ip, int port) {}

  static Endpoint parse(String backend) {
    var m = BACKEND.matcher(backend);
    if (!m.matches()) {
      throw new IllegalArgumentException("a system backend is IPv4:port, not " + backend);
    }
    int port = Integer.parseInt(m.group(3));
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("bad port in " + backend);
    }
    return new Endpoint(m.group(1), port);
  }

  /** Serves {@code route} on every webrouter (replacing what was published under its name). */
  public static void publish(Store store, SystemRoute route) {
    try {
      store.put(PREFIX + route.name(), JSON.writeValueAsString(route));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static void withdraw(Store store, String name) {
    store.delete(PREFIX + name);
  }

  /** What is published; unreadable entries are named in {@code problems} and left out. */
  public static List<SystemRoute> list(Store store, List<String> problems) {
    List<SystemRoute> routes = new ArrayList<>();
    for (KeyValue kv : store.list(PREFIX).entries()) {
      try {
        routes.add(JSON.readValue(kv.value(), SystemRoute.class));
      } catch (JsonProcessingException | IllegalArgumentException e) {
        problems.add("system route " + kv.key() + " is unreadable: " + e.getMessage());
      }
    }
    return routes;
  }
}
