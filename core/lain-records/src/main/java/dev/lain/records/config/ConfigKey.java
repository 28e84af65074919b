package dev.lain.records.config;

import dev.lain.model.Typos;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The cluster configuration keys {@code lainctl config} manages, stored as in LAIN under {@code
 * /lain/config/<name>} with the same value formats, so tools that read LAIN's keys (and {@code
 * etcdctl get}) see the same strings.
 */
public enum ConfigKey {
  DOMAIN(
      "domain",
      "the cluster domain: apps get <app>.<domain> by default",
      "lain.local",
      ConfigValues::domain),
  EXTRA_DOMAINS(
      "extra_domains",
      "JSON array of further cluster domains; the first one is the main domain (LAIN_DOMAIN)",
      "[]",
      ConfigValues::extraDomains),
  SSL(
      "ssl",
      "JSON map from host glob or exact host to the name of a certificate (lainctl ssl add)",
      "{}",
      ConfigValues::ssl),
  VIP("vip", "the floating IP of the webrouter, 0.0.0.0 for none", "0.0.0.0", ConfigValues::vip),
  NODE_NETWORK(
      "node_network",
      "the nodes' network in CIDR form, e.g. 192.168.77.0/24",
      null,
      ConfigValues::network),
  REGISTRY_MIRROR(
      "registry_mirror",
      "a Docker registry mirror URL given to every node's dockerd",
      null,
      ConfigValues::httpUrl),
  PROTECTED_APPS(
      "protected_apps",
      "JSON array of apps that cannot be undeployed",
      "[\"console\",\"registry\",\"tinydns\",\"sso\",\"webrouter\",\"lvault\"]",
      ConfigValues::appNames);

  /** The store directory holding every key. */
  public static final String PREFIX = "/lain/config/";

  private final String keyName;
  private final String description;
  private final String defaultValue;
  private final Parser parser;

  ConfigKey(String keyName, String description, String defaultValue, Parser parser) {
    this.keyName = keyName;
    this.description = description;
    this.defaultValue = defaultValue;
    this.parser = parser;
  }

  /** Checks and normalises a raw value. */
  @FunctionalInterface
  interface Parser {
    ConfigValue parse(String raw);
  }

  /** The name users type: {@code extra_domains}. */
  public String keyName() {
    return keyName;
  }

  public String description() {
    return description;
  }

  /** The store key: {@code /lain/config/extra_domains}. */
  public String storeKey() {
    return PREFIX + keyName;
  }

  /** The value in force when the key is unset, if the key has one. */
  public Optional<String> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  /** Checks {@code raw} and returns its canonical form, or every problem with it. */
  public ConfigValue parse(String raw) {
    return parser.parse(raw.strip());
  }

  /** The key called {@code name}, or empty. */
  public static Optional<ConfigKey> named(String name) {
    return Arrays.stream(values()).filter(k -> k.keyName.equals(name)).findFirst();
  }

  /** The key called {@code name}, or an exception that names the known keys and the closest one. */
  public static ConfigKey require(String name) {
    return named(name)
        .orElseThrow(
            () -> {
              String known =
                  String.join(", ", Arrays.stream(values()).map(ConfigKey::keyName).toList());
              String hint = closest(name).map(k -> " (did you mean " + k.keyName + "?)").orElse("");
              return new ClusterConfigException(
                  ClusterConfigException.Code.UNKNOWN_KEY,
                  "unknown config key '" + name + "'" + hint + "; known keys: " + known);
            });
  }

  private static Optional<ConfigKey> closest(String name) {
    String normalised = name.toLowerCase(Locale.ROOT).replace('-', '_');
    return Typos.closest(normalised, Arrays.stream(values()).map(ConfigKey::keyName).toList())
        .flatMap(ConfigKey::named);
  }

  /** Every key, in the order {@code lainctl config list} shows them. */
  public static List<ConfigKey> all() {
    return List.of(values());
  }
}
