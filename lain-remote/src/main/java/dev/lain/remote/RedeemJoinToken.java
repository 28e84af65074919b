package dev.lain.remote;

import dev.lain.store.Store;
import dev.lain.store.StoreException;
import dev.lain.store.Stores;
import java.io.PrintStream;
import java.util.Map;

/**
 * Runs on a joining node before its agent's first start: redeems the join token found in {@code
 * $LAIN_JOIN_TOKEN} for {@code --node-name NAME} in {@code --store URL}. Exits 0 when redeemed, 1
 * when the token is unknown, spent, expired or for another node (the agent is then not started).
 * The token comes through the environment, never the command line, so {@code ps} does not show it.
 */
public final class RedeemJoinToken {
  private RedeemJoinToken() {}

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.err));
  }

  static int run(String[] args, Map<String, String> env, PrintStream err) {
    String url = null;
    String node = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--store" -> url = args[i + 1];
        case "--node-name" -> node = args[i + 1];
        default -> {
          err.println("error: unknown option " + args[i]);
          return 2;
        }
      }
    }
    String text = env.getOrDefault("LAIN_JOIN_TOKEN", "");
    if (url == null || node == null || text.isBlank()) {
      err.println("usage: LAIN_JOIN_TOKEN=ID.SECRET RedeemJoinToken --store URL --node-name NAME");
      return 2;
    }
    var token = JoinTokens.JoinToken.parse(text);
    if (token.isEmpty()) {
      err.println("error: the join token is malformed");
      return 1;
    }
    try (Store store = Stores.open(url)) {
      if (!JoinTokens.redeem(store, token.get(), node)) {
        err.println(
            "error: " + token.get() + " is unknown, spent, expired or not for node " + node);
        return 1;
      }
    } catch (StoreException e) {
      err.println("error: cannot redeem the join token in " + url + ": " + e.getMessage());
      return 1;
    }
    return 0;
  }
}
