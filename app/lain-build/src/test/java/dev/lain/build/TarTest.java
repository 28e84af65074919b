package dev.lain.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarTest {

  @Test
  void writtenEntriesReadBackWithLongAndNonAsciiNamesThroughPax() throws IOException {
    String longName = "app/" + "deep/".repeat(40) + "file.txt";
    String longTarget = "../".repeat(60) + "target";
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarWriter tar = new TarWriter(bytes)) {
      tar.directory("app", 0755, 1_700_000_000L);
      tar.file(longName, 0600, "long");
      tar.file("app/héllo wörld.txt", 0644, "utf-8");
      tar.write(
          new TarEntry("app/link", TarEntry.SYMLINK, 0777, 0, longTarget, 0, 0, 0),
          InputStream.nullInputStream());
      tar.file("app/empty", 0755, new byte[0]);
      tar.file("app/block", 0644, new byte[512]);
    }

    Map<String, String> read = readAll(bytes.toByteArray());

    assertThat(read)
        .containsExactly(
            Map.entry("app 5 755", ""),
            Map.entry(longName + " 0 600", "long"),
            Map.entry("app/héllo wörld.txt 0 644", "utf-8"),
            Map.entry("app/link 2 777 -> " + longTarget, ""),
            Map.entry("app/empty 0 755", ""),
            Map.entry("app/block 0 644", "\0".repeat(512)));
  }

  @Test
  void readsTheUstarPrefixFieldAsGoWritesLongNames() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarWriter tar = new TarWriter(bytes)) {
      tar.file("name.txt", 0644, "x");
    }
    byte[] archive = bytes.toByteArray();
    // Move the name into ustar's prefix + name fields, as Go's archive/tar does for <= 255 bytes.
    byte[] prefix = "some/long/prefix".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(prefix, 0, archive, 345, prefix.length);
    fixChecksum(archive);

    assertThat(readAll(archive)).containsOnlyKeys("some/long/prefix/name.txt 0 644");
  }

  @Test
  void aCorruptHeaderIsAnErrorNotGarbage() {
    byte[] junk = new byte[1024];
    junk[0] = 'x';
    assertThatThrownBy(() -> readAll(junk)).isInstanceOf(IOException.class);
  }

  @Test
  void paxRecordLengthCountsItsOwnDigits() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("path", "a".repeat(90));
    byte[] records = TarWriter.paxRecords(values);
    String text = new String(records, StandardCharsets.UTF_8);

    assertThat(text).startsWith(records.length + " path=");
  }

  @Test
  void buildContextHasTheDockerfileAndTheAppUnderAppWithoutGitLainCacheAndVagrant(@TempDir Path dir)
      throws IOException {
    Files.writeString(dir.resolve("lain.yaml"), "appname: x\n");
    Files.writeString(dir.resolve("Dockerfile"), "FROM the-apps-own\n");
    Path run = Files.writeString(dir.resolve("run.sh"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-x---"));
    Files.createDirectories(dir.resolve("src/.git"));
    Files.writeString(dir.resolve("src/.git/kept"), "nested .git is the app's");
    for (String excluded : List.of(".git", ".lain-cache", ".vagrant")) {
      Files.createDirectories(dir.resolve(excluded));
      Files.writeString(dir.resolve(excluded).resolve("f"), "left out");
    }
    Files.createSymbolicLink(dir.resolve("link"), Path.of("lain.yaml"));

    Map<String, String> entries;
    Path file;
    try (BuildContext context = BuildContext.create("FROM scratch\n")) {
      context.addApp(dir);
      file = context.finish();
      entries = readAll(Files.readAllBytes(file));
    }
    assertThat(file).doesNotExist();

    assertThat(entries)
        .containsOnlyKeys(
            "Dockerfile 0 644",
            "app 5 755",
            "app/Dockerfile 0 644",
            "app/lain.yaml 0 644",
            "app/link 2 777 -> lain.yaml",
            "app/run.sh 0 750",
            "app/src 5 755",
            "app/src/.git 5 755",
            "app/src/.git/kept 0 644");
    assertThat(entries.get("Dockerfile 0 644")).isEqualTo("FROM scratch\n");
    assertThat(entries.get("app/Dockerfile 0 644")).isEqualTo("FROM the-apps-own\n");
  }

  /** {@code "<name> <type> <octal mode>[ -> link]"} to content, in archive order. */
  static Map<String, String> readAll(byte[] archive) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    try (TarReader tar = new TarReader(new ByteArrayInputStream(archive))) {
      for (Optional<TarEntry> e = tar.next(); e.isPresent(); e = tar.next()) {
        TarEntry entry = e.get();
        String key =
            entry.name()
                + " "
                + entry.type()
                + " "
                + Integer.toOctalString(entry.mode())
                + (entry.linkName().isEmpty() ? "" : " -> " + entry.linkName());
        out.put(key, new String(tar.content().readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static void fixChecksum(byte[] archive) {
    for (int i = 148; i < 156; i++) {
      archive[i] = ' ';
    }
    int sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += archive[i] & 0xff;
    }
    byte[] digits = String.format("%06o", sum).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(digits, 0, archive, 148, 6);
    archive[154] = 0;
  }
}
