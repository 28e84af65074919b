package dev.lain.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
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
  /**
   * A node's record of its cluster's store URL, written by {@code ./bootstrap} and {@code lainctl
   * node add}, so that {@code lainctl} on a node needs no {@code --store}.
   */
  public static final String NODE_FILE_PATH = "/etc/lain/store";

  public static final Path NODE_FILE = Path.of(NODE_FILE_PATH);

  /** The store used when neither {@code --store}, {@code LAIN_STORE} nor the node file says. */
  public static final String DEFAULT_URL = "embedded:/var/lib/lain/store.db";

  /** Help text of every {@code --store} option. */
  public static final String URL_HELP =
      "The cluster store: memory:, embedded:/path/store.db or etcd://host:port[,host:port]."
          + " Default: $LAIN_STORE, else the URL in "
          + NODE_FILE_PATH
          + ", else "
          + DEFAULT_URL
          + ".";

  /** A chosen store URL and where it came from, for messages. */
  public record Choice(String url, String source) {}

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
   * Chooses the store URL: the command-line flag, then the {@code LAIN_STORE} environment value
   * (either may be null), then the first line of {@code nodeFile} that is neither blank nor a
   * {@code #} comment, then {@link #DEFAULT_URL}.
   */
  public static Choice choose(String flag, String environment, Path nodeFile) {
    if (flag != null && !flag.isBlank()) {
      return new Choice(flag.strip(), "flag --store");
    }
    if (environment != null && !environment.isBlank()) {
      return new Choice(environment.strip(), "env LAIN_STORE");
    }
    return readNodeFile(nodeFile)
        .map(url -> new Choice(url, nodeFile.toString()))
        .orElse(new Choice(DEFAULT_URL, "default"));
  }

  private static Optional<String> readNodeFile(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
          .map(String::strip)
          .filter(line -> !line.isEmpty() && !line.startsWith("#"))
          .findFirst();
    } catch (IOException e) {
      throw new StoreException(
          StoreException.Code.INVALID_URL, "cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** The file of an {@code embedded:} URL, or empty for other schemes. */
  public static Optional<Path> embeddedFile(String url) {
    return "embedded".equals(schemeOf(url)) ? Optional.of(embeddedPath(url)) : Optional.empty();
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
