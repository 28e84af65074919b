package dev.lain.console;

/**
 * Where the console keeps its records in the store (see the module README). Every name that ends up
 * in a key has been checked by {@link Names} first, so no request can reach outside its directory.
 */
final class ConsoleKeys {
  static final String ROOT = "/lain/console/";
  static final String USERS = ROOT + "users/";
  static final String TOKENS = ROOT + "tokens/";
  static final String REPOS = ROOT + "repos/";
  static final String MAINTAINERS = ROOT + "maintainers/";

  /** LAIN's own directory for deployed apps. */
  static final String APPS = ROOT + "apps/";

  static final String HISTORY = ROOT + "history/";
  static final String AUDIT = ROOT + "audit/";

  private ConsoleKeys() {}

  static String user(String name) {
    return USERS + name;
  }

  static String token(String id) {
    return TOKENS + id;
  }

  static String repo(String app) {
    return REPOS + app;
  }

  static String maintainers(String app) {
    return MAINTAINERS + app + "/";
  }

  static String maintainer(String app, String user) {
    return maintainers(app) + user;
  }

  static String app(String app) {
    return APPS + app;
  }

  static String history(String app) {
    return HISTORY + app + "/";
  }

  /** Zero-padded so that the store's key order is the version order. */
  static String historyEntry(String app, long version) {
    return history(app) + String.format("%010d", version);
  }
}
