package dev.lain.bootstrap;

import dev.lain.store.KeyValue;
import dev.lain.store.Store;
import dev.lain.store.Stores;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A machine for the executor under a temp directory: a recording runner, in-memory stores by URL,
 * and a rendering of everything the run did (output, commands, files, store keys) for golden files.
 */
final class Sandbox {
  static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

  final Path root;
  final RecordingRunner runner = new RecordingRunner();
  final Map<String, Store> stores = new LinkedHashMap<>();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
  private final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
  int opened;

  /** A sandbox whose machine runs systemd if {@code systemd}, with Debian's busybox installed. */
  Sandbox(Path root, boolean systemd) {
    this.root = root;
    try {
      if (systemd) {
        Files.createDirectories(root.resolve("run/systemd/system"));
      }
      Files.createDirectories(root.resolve("bin"));
      Files.writeString(root.resolve("bin/busybox"), "busybox binary\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Executor executor() {
    StoreOpener opener =
        new StoreOpener() {
          @Override
          public Store open(String url) {
            opened++;
            return stores.computeIfAbsent(url, u -> Stores.open("memory:"));
          }

          @Override
          public void release(Store store) {
            // Kept open: the test reads it afterwards.
          }
        };
    return new Executor(runner, root, opener, outStream, errStream)
        .withPause(d -> {})
        .withClock(InstantSource.fixed(NOW))
        .withUuids(() -> UUID.fromString("3f1c2a8e-0000-4000-8000-000000000001"));
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** The files under the root, with their modes; PEM blocks shown by kind only. */
  List<String> files() {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted().toList()) {
        if (p.equals(root)) {
          continue;
        }
        String name = "/" + root.relativize(p);
        if (Files.isDirectory(p)) {
          lines.add(name + "/");
          continue;
        }
        lines.add(
            name + " (" + PosixFilePermissions.toString(Files.getPosixFilePermissions(p)) + ")");
        for (String line : masked(Files.readString(p)).lines().toList()) {
          lines.add("  | " + line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return lines;
  }

  /** Every store key; certificates and console users by key only, as they hold fresh secrets. */
  List<String> storeKeys() {
    List<String> lines = new ArrayList<>();
    stores.forEach(
        (url, store) -> {
          lines.add(url);
          for (KeyValue kv : store.list("/").entries()) {
            boolean secret =
                kv.key().startsWith("/lain/webrouter/certs/")
                    || kv.key().startsWith("/lain/console/");
            String key =
                kv.key().startsWith("/lain/console/tokens/")
                    ? "/lain/console/tokens/<id>"
                    : kv.key();
            lines.add("  " + key + (secret ? " (set)" : " = " + kv.value()));
          }
        });
    return lines;
  }

  /** Everything the run did, in one text. */
  String render() {
    StringBuilder text = new StringBuilder();
    text.append("--- output\n").append(out());
    if (!err().isEmpty()) {
      text.append("--- errors\n").append(err());
    }
    text.append("--- commands\n");
    runner.recorded().forEach(c -> text.append("$ ").append(c).append('\n'));
    text.append("--- files\n");
    files().forEach(f -> text.append(f).append('\n'));
    text.append("--- store\n");
    storeKeys().forEach(k -> text.append(k).append('\n'));
    return text.toString().replace(root.toString(), "<root>");
  }

  private static String masked(String text) {
    return text.replaceAll("(?s)-----BEGIN ([A-Z ]+)-----.*?-----END \\1-----", "<$1 in PEM>");
  }
}
