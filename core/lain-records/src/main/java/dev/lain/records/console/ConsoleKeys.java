package dev.lain.records.console;

/**
 * Where the console keeps its records in the store (see the module README). Every name that ends up
 * in a key has been checked by {@link Names} first, so no request can reach outside its directory.
 */
public final class ConsoleKeys {
  public static final String ROOT = "/lain/console/";
  public static final String USERS = ROOT + "users/";
  public static final String TOKENS = ROOT + "tokens/";
  public static final String REPOS = ROOT + "repos/";
  public static final String MAINTAINERS = ROOT + "maintainers/";

  /** LAIN's own directory for deployed apps. */
  public static final String APPS = ROOT + "apps/";

  public static final String HISTORY = ROOT + "history/";
  public static final String AUDIT = ROOT + "audit/";

  private ConsoleKeys() {}

  public static String user(String name) {
    return USERS + name;
  }

  public static String token(String id) {
    return TOKENS + id;
  }

  public static String repo(String app) {
    return REPOS + app;
  }

  public static String maintainers(String app) {
    return MAINTAINERS + app + "/";
  }

  public static String maintainer(String app, String user) {
    return maintainers(app) + user;
  }

  public static String app(String app) {
    return APPS + app;
  }

  public static String history(String app) {
    return HISTORY + app + "/";
  }

  /** Zero-padded so that the store's key order is the version order. */
  public static String historyEntry(String app, long version) {
    return history(app) + String.format("%010d", version);
  }
}
