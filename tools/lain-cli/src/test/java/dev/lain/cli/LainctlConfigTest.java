package dev.lain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.store.Stores;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LainctlConfigTest {
  @TempDir Path dir;
  private Map<String, String> env;

  @BeforeEach
  void useATemporaryEmbeddedStore() {
    env = CliRun.nodeWithEmbeddedStore(dir);
  }

  private CliRun lainctl(String... args) {
    return CliRun.lainctl(env, args);
  }

  @Test
  void setThenGetShowsTheCanonicalValue() {
    CliRun set = lainctl("config", "set", "extra_domains", "[ \"Example.com\" ]");
    assertThat(set.exitCode()).isZero();
    assertThat(set.out())
        .contains("extra_domains = [\"example.com\"]")
        .contains("was [], the default");

    CliRun get = lainctl("config", "get", "extra_domains");
    assertThat(get.exitCode()).isZero();
    assertThat(get.out()).isEqualTo("[\"example.com\"]\n");
  }

  @Test
  void listShowsEveryKeyItsSourceAndTheMainDomain() {
    lainctl("config", "set", "extra_domains", "[\"example.com\"]");
    CliRun list = lainctl("config", "list");

    assertThat(list.exitCode()).isZero();
    assertThat(list.out())
        .containsPattern("domain +default +lain.local")
        .containsPattern("extra_domains +set +\\[\"example.com\"]")
        .containsPattern("node_network +unset +-")
        .contains("main domain: example.com (the first of extra_domains)");
  }

  @Test
  void listAsJsonIsMachineReadable() {
    CliRun list = lainctl("config", "list", "-o", "json");
    assertThat(list.exitCode()).isZero();
    assertThat(list.out())
        .contains("\"key\" : \"domain\"")
        .contains("\"main_domain\" : \"lain.local\"");
  }

  @Test
  void anInvalidValueIsRejectedWithEveryProblemAndNothingIsWritten() {
    lainctl("config", "set", "extra_domains", "[\"example.com\"]");

    CliRun set = lainctl("config", "set", "extra_domains", "[\"bad domain\", \"evil;com\"]");

    assertThat(set.exitCode()).isEqualTo(1);
    assertThat(set.err())
        .contains("invalid value for extra_domains (nothing was changed)")
        .contains("element 1 'bad domain' contains a space")
        .contains("element 2 'evil;com' contains ';'");
    assertThat(lainctl("config", "get", "extra_domains").out()).isEqualTo("[\"example.com\"]\n");
  }

  @Test
  void aValueThatIsNotJsonGetsAnExample() {
    CliRun set = lainctl("config", "set", "extra_domains", "example.com");
    assertThat(set.exitCode()).isEqualTo(1);
    assertThat(set.err()).contains("not valid JSON").contains("'[\"example.com\"]'");
  }

  @Test
  void anUnknownKeySuggestsTheNearestOne() {
    CliRun get = lainctl("config", "get", "extra_domain");
    assertThat(get.exitCode()).isEqualTo(1);
    assertThat(get.err())
        .contains("unknown config key 'extra_domain' (did you mean extra_domains?)");
  }

  @Test
  void unsetRestoresTheDefault() {
    lainctl("config", "set", "domain", "example.net");
    CliRun unset = lainctl("config", "unset", "domain");
    assertThat(unset.exitCode()).isZero();
    assertThat(unset.out())
        .contains("domain unset (was example.net); the default lain.local applies");
    assertThat(lainctl("config", "get", "domain").out()).isEqualTo("lain.local\n");
  }

  @Test
  void gettingAKeyWithoutValueOrDefaultFails() {
    CliRun get = lainctl("config", "get", "node_network");
    assertThat(get.exitCode()).isEqualTo(1);
    assertThat(get.err()).contains("node_network is not set and has no default");
  }

  @Test
  void theStoreFlagWinsOverTheEnvironment() {
    Path other = dir.resolve("other.db");
    Stores.open("embedded:" + other).close();
    lainctl("--store", "embedded:" + other, "config", "set", "domain", "flag.example");
    assertThat(lainctl("config", "get", "domain").out()).isEqualTo("lain.local\n");
    assertThat(lainctl("config", "get", "domain", "--store", "embedded:" + other).out())
        .isEqualTo("flag.example\n");
  }

  @Test
  void aMissingEmbeddedStoreIsRefusedAndNotCreated() {
    Path missing = dir.resolve("elsewhere/store.db");
    CliRun run = lainctl("--store", "embedded:" + missing, "config", "list");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("there is no store at " + missing + " (from flag --store)")
        .contains("--store URL or LAIN_STORE");
    assertThat(missing.getParent()).doesNotExist();
  }

  @Test
  void aBadStoreUrlIsAClearError() {
    CliRun run = lainctl("--store", "zookeeper://127.0.0.1:2181", "config", "list");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("cannot open the store zookeeper://127.0.0.1:2181")
        .contains("unknown store URL scheme");
  }

  @Test
  void everySubcommandAnswersHelp() {
    CliRun run = lainctl("config", "set", "--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Usage: lainctl config set");
  }

  @Test
  void wrongUsageExitsWithTwoAndSaysHowToGetHelp() {
    CliRun run = lainctl("config", "set", "domain");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Missing required parameter").contains("--help");
  }
}
