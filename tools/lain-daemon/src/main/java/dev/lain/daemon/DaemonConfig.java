package dev.lain.daemon;

import dev.lain.store.Stores;
import java.nio.file.Path;

/**
 * The settings every daemon shares, merged once at startup: command-line flags win over {@code
 * LAIN_*} environment variables, which win over the defaults.
 *
 * @param storeUrl the cluster store ({@code --store}, {@code LAIN_STORE}, the node's {@link
 *     Stores#NODE_FILE}; default {@link Stores#DEFAULT_URL})
 * @param storeUrlSource where {@code storeUrl} came from
 */
public record DaemonConfig(String storeUrl, String storeUrlSource) {

  public static DaemonConfig merge(String storeFlag, String storeEnv, Path nodeStoreFile) {
    Stores.Choice choice = Stores.choose(storeFlag, storeEnv, nodeStoreFile);
    return new DaemonConfig(choice.url(), choice.source());
  }

  /** The merged settings as {@code --print-config} shows them. */
  public String describe() {
    return "store: " + storeUrl + "  (from " + storeUrlSource + ")";
  }
}
