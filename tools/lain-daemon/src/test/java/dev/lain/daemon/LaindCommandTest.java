package dev.lain.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LaindCommandTest {
  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private Run laind(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        LaindCommand.run(
            env, dir.resolve("node-store"), new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void printConfigShowsWhereTheStoreUrlCameFrom() throws Exception {
    assertThat(laind(Map.of(), "--print-config").out())
        .isEqualTo("store: embedded:/var/lib/lain/store.db  (from default)\n");
    Files.writeString(dir.resolve("node-store"), "etcd://10.0.0.1:2379\n");
    assertThat(laind(Map.of(), "--print-config").out())
        .isEqualTo("store: etcd://10.0.0.1:2379  (from " + dir.resolve("node-store") + ")\n");
    assertThat(laind(Map.of("LAIN_STORE", "memory:"), "--print-config").out())
        .isEqualTo("store: memory:  (from env LAIN_STORE)\n");
    assertThat(
            laind(
                    Map.of("LAIN_STORE", "memory:"),
                    "--store",
                    "etcd://127.0.0.1:2379",
                    "--print-config")
                .out())
        .isEqualTo("store: etcd://127.0.0.1:2379  (from flag --store)\n");
  }

  @Test
  void checkStoreOpensTheConfiguredStore() {
    Run run = laind(Map.of("LAIN_STORE", "embedded:" + dir.resolve("s.db")), "check-store");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains(": embedded, revision 0");
  }

  @Test
  void checkStoreReportsAStoreItCannotOpen() {
    Run run = laind(Map.of(), "--store", "bogus:", "check-store");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("error: store bogus:").contains("unknown store URL scheme");
  }

  @Test
  void withoutACommandItPrintsUsageAndExitsTwo() {
    Run run = laind(Map.of());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("Usage: laind");
  }
}
