package dev.lain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.records.console.Users;
import dev.lain.store.Store;
import dev.lain.store.Stores;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lainctl user}: the console's users and tokens, written straight into the store. */
class LainctlUserTest {
  @TempDir Path dir;
  Map<String, String> env;

  @BeforeEach
  void useATemporaryEmbeddedStore() {
    env = CliRun.nodeWithEmbeddedStore(dir);
  }

  private boolean valid(String token) {
    try (Store store = Stores.open(env.get("LAIN_STORE"))) {
      return new Users(store, InstantSource.system()).authenticate(token).isPresent();
    }
  }

  @Test
  void anAdminAndItsTokenAreCreatedAndTheTokenWorks() {
    CliRun add = CliRun.lainctl(env, "user", "add", "admin", "--admin", "--token-only");

    assertThat(add.exitCode()).as(add.err()).isZero();
    String token = add.out().strip();
    assertThat(token).startsWith("lain_");
    assertThat(valid(token)).isTrue();
    assertThat(CliRun.lainctl(env, "user", "list").out()).contains("admin").contains("yes");
  }

  @Test
  void moreTokensCanBeIssuedAndRemovingTheUserRevokesThemAll() {
    String first = CliRun.lainctl(env, "user", "add", "bob", "--token-only").out().strip();
    String second = CliRun.lainctl(env, "user", "token", "bob").out().strip();
    assertThat(second).isNotEqualTo(first);
    assertThat(CliRun.lainctl(env, "user", "list").out()).containsPattern("bob\\s+no\\s+\\S+\\s+2");

    CliRun remove = CliRun.lainctl(env, "user", "remove", "bob");

    assertThat(remove.exitCode()).as(remove.err()).isZero();
    assertThat(valid(first)).isFalse();
    assertThat(valid(second)).isFalse();
  }

  @Test
  void mistakesAreClearErrors() {
    CliRun.lainctl(env, "user", "add", "carol");

    CliRun again = CliRun.lainctl(env, "user", "add", "carol");
    assertThat(again.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(again.err()).contains("carol exists already");

    CliRun bad = CliRun.lainctl(env, "user", "add", "../x");
    assertThat(bad.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(bad.err()).startsWith("error: ");

    CliRun missing = CliRun.lainctl(env, "user", "token", "nobody");
    assertThat(missing.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(missing.err()).contains("no user nobody");
  }
}
