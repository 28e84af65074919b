package dev.lain.cli.lain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * The developer's own settings, as LAIN kept them: {@code ~/.lain/lain.conf.yaml} maps each
 * <em>phase</em> (a named cluster) to its settings, {@code ~/.lain/global.conf.yaml} holds the
 * rest. The phase file holds tokens, so it is written readable by its owner only.
 */
public record UserConfig(Map<String, Map<String, String>> phases, Map<String, String> global) {
  /** Settings a phase may have. */
  public static final List<String> PHASE_KEYS = List.of("domain", "console", "registry", "token");

  /** Settings {@code save-global} accepts. */
  public static final List<String> GLOBAL_KEYS = List.of("private_docker_registry");

  static final String PHASES_FILE = "lain.conf.yaml";
  static final String GLOBAL_FILE = "global.conf.yaml";

  public UserConfig {
    Map<String, Map<String, String>> copy = new TreeMap<>();
    phases.forEach((name, settings) -> copy.put(name, Map.copyOf(settings)));
    phases = Map.copyOf(copy);
    global = Map.copyOf(global);
  }

  /** A phase's settings with LAIN's defaults filled in from its domain. */
  public record Phase(String name, String domain, String console, String registry, String token) {
    public boolean loggedIn() {
      return token != null && !token.isEmpty();
    }
  }

  /** The directory of the files: {@code $LAIN_HOME}, else {@code $HOME/.lain}. */
  public static Path directory(Map<String, String> env) {
    String lainHome = env.get("LAIN_HOME");
    if (lainHome != null && !lainHome.isBlank()) {
      return Path.of(lainHome);
    }
    String home = env.getOrDefault("HOME", System.getProperty("user.home"));
    return Path.of(home, ".lain");
  }

  public static UserConfig load(Path dir) throws IOException {
    Map<String, Object> phases = read(dir.resolve(PHASES_FILE));
    Map<String, Map<String, String>> byName = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : phases.entrySet()) {
      if (!(e.getValue() instanceof Map<?, ?> settings)) {
        throw new IOException(
            dir.resolve(PHASES_FILE) + ": phase " + e.getKey() + " is not a map of settings");
      }
      byName.put(e.getKey(), strings(settings));
    }
    return new UserConfig(byName, strings(read(dir.resolve(GLOBAL_FILE))));
  }

  public Optional<Phase> phase(String name) {
    Map<String, String> settings = phases.get(name);
    if (settings == null) {
      return Optional.empty();
    }
    String domain = settings.getOrDefault("domain", "");
    String console = settings.get("console");
    if (console == null && !domain.isEmpty()) {
      console = "http://console." + domain;
    }
    String registry = settings.get("registry");
    if (registry == null) {
      registry =
          global.getOrDefault(
              "private_docker_registry", domain.isEmpty() ? null : "registry." + domain);
    }
    return Optional.of(new Phase(name, domain, console, registry, settings.get("token")));
  }

  public UserConfig withPhaseSetting(String phase, String key, String value) {
    Map<String, Map<String, String>> next = new TreeMap<>(phases);
    Map<String, String> settings = new TreeMap<>(phases.getOrDefault(phase, Map.of()));
    if (value == null) {
      settings.remove(key);
    } else {
      settings.put(key, value);
    }
    next.put(phase, settings);
    return new UserConfig(next, global);
  }

  public UserConfig withGlobalSetting(String key, String value) {
    Map<String, String> next = new TreeMap<>(global);
    next.put(key, value);
    return new UserConfig(phases, next);
  }

  /** Writes both files, each replaced atomically; the phase file is made owner-only first. */
  public void save(Path dir) throws IOException {
    Files.createDirectories(dir);
    write(dir.resolve(PHASES_FILE), new TreeMap<>(phases));
    write(dir.resolve(GLOBAL_FILE), new TreeMap<>(global));
  }

  private static void write(Path file, Map<String, ?> content) throws IOException {
    DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build();
    String text = content.isEmpty() ? "{}\n" : new Dump(settings).dumpToString(content);
    Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
    try {
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static Map<String, Object> read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return Map.of();
    }
    Object parsed;
    try {
      parsed =
          new Load(LoadSettings.builder().build())
              .loadFromString(Files.readString(file, StandardCharsets.UTF_8));
    } catch (YamlEngineException e) {
      throw new IOException(file + " is not valid YAML: " + e.getMessage(), e);
    }
    if (parsed == null) {
      return Map.of();
    }
    if (!(parsed instanceof Map<?, ?> map)) {
      throw new IOException(file + " must be a YAML map");
    }
    Map<String, Object> result = new LinkedHashMap<>();
    map.forEach((k, v) -> result.put(String.valueOf(k), v));
    return result;
  }

  private static Map<String, String> strings(Map<?, ?> map) {
    Map<String, String> result = new LinkedHashMap<>();
    map.forEach((k, v) -> result.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
    return result;
  }
}
