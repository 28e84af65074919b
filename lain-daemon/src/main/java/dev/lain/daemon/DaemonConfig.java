package dev.lain.daemon;

import dev.lain.store.Stores;

/**
 * The settings every daemon shares, merged once at startup: command-line flags win over {@code
 * LAIN_*} environment variables, which win over the defaults.
 *
 * @param storeUrl the cluster store ({@code --store}, {@code LAIN_STORE}; default {@link
 *     Stores#DEFAULT_URL})
 * @param storeUrlSource where {@code storeUrl} came from: {@code flag}, {@code env} or {@code
 *     default}
 */
public record DaemonConfig(String storeUrl, String storeUrlSource) {

  public static DaemonConfig merge(String storeFlag, String storeEnv) {
    String url = Stores.chooseUrl(storeFlag, storeEnv);
    String source =
        storeFlag != null && !storeFlag.isBlank()
            ? "flag --store"
            : storeEnv != null && !storeEnv.isBlank() ? "env LAIN_STORE" : "default";
    return new DaemonConfig(url, source);
  }

  /** The merged settings as {@code --print-config} shows them. */
  public String describe() {
    return "store: " + storeUrl + "  (from " + storeUrlSource + ")";
  }
}
