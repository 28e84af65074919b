package dev.lain.store;

import java.nio.file.Path;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * Opens a store by URL.
 *
 * <ul>
 *   <li>{@code memory:} — in-process, lost on exit (tests)
 *   <li>{@code embedded:/path/to/store.db} — persistent single-node store (SQLite, shareable by
 *       several processes on one machine)
 *   <li>{@code etcd://host:port[,host:port...]} — a real etcd v3 cluster
 * </ul>
 */
public final class Stores {
  /** The store used when neither {@code --store} nor {@code LAIN_STORE} is given. */
  public static final String DEFAULT_URL = "embedded:/var/lib/lain/store.db";

  /** Help text of every {@code --store} option. */
  public static final String URL_HELP =
      "The cluster store: memory:, embedded:/path/store.db or etcd://host:port[,host:port]."
          + " Default: $LAIN_STORE, else "
          + DEFAULT_URL
          + ".";

  private Stores() {}

  public static Store open(String url) {
    String scheme = schemeOf(url);
    return switch (scheme) {
      case "memory" -> {
        if (!url.equals("memory:")) {
          throw new StoreException(
              StoreException.Code.INVALID_URL, "the memory store takes no location: use 'memory:'");
        }
        yield new MemoryStore();
      }
      case "embedded" -> SqliteStore.open(embeddedPath(url));
      default -> {
        for (StoreProvider provider : ServiceLoader.load(StoreProvider.class)) {
          if (provider.scheme().equals(scheme)) {
            yield provider.open(url);
          }
        }
        throw new StoreException(
            StoreException.Code.INVALID_URL,
            "unknown store URL scheme '"
                + scheme
                + "' in '"
                + url
                + "': use one of "
                + knownSchemes());
      }
    };
  }

  /**
   * Chooses the store URL from a command-line flag and the {@code LAIN_STORE} environment value,
   * either of which may be null: the flag wins, then the environment, then {@link #DEFAULT_URL}.
   */
  public static String chooseUrl(String flag, String environment) {
    if (flag != null && !flag.isBlank()) {
      return flag.strip();
    }
    if (environment != null && !environment.isBlank()) {
      return environment.strip();
    }
    return DEFAULT_URL;
  }

  private static String schemeOf(String url) {
    int colon = url == null ? -1 : url.indexOf(':');
    if (colon <= 0) {
      throw new StoreException(
          StoreException.Code.INVALID_URL,
          "not a store URL: '" + url + "' (expected memory:, embedded:/path or etcd://host:port)");
    }
    return url.substring(0, colon).toLowerCase(Locale.ROOT);
  }

  private static Path embeddedPath(String url) {
    String rest = url.substring("embedded:".length());
    if (rest.startsWith("//")) {
      rest = rest.substring(2);
    }
    if (rest.isBlank()) {
      throw new StoreException(
          StoreException.Code.INVALID_URL,
          "the embedded store needs a file: embedded:/var/lib/lain/store.db");
    }
    return Path.of(rest).toAbsolutePath();
  }

  private static String knownSchemes() {
    TreeSet<String> schemes = new TreeSet<>();
    schemes.add("memory:");
    schemes.add("embedded:/path");
    for (StoreProvider provider : ServiceLoader.load(StoreProvider.class)) {
      schemes.add(provider.scheme() + "://...");
    }
    return String.join(", ", schemes);
  }
}
