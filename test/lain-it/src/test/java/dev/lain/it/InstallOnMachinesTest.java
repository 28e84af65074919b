package dev.lain.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lain.nodeinstall.ClusterKey;
import dev.lain.store.KeyValue;
import dev.lain.store.Store;
import dev.lain.store.Stores;
import dev.lain.testkit.LoopDevice;
import dev.lain.testkit.Machine;
import dev.lain.testkit.Machine.DockerRoot;
import dev.lain.testkit.MachineSandbox;
import dev.lain.testkit.RequiredServices;
import dev.lain.testkit.SystemdMachine;
import dev.lain.testkit.UpstreamRegistry;
import dev.lain.testkit.VpcSwitch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real {@code ./bootstrap} and {@code lainctl node add/remove} of this repository, run as the
 * README and docs/production-install.md say, on {@link MachineSandbox}es: this machine's packages
 * and kernel, each with its own empty /etc/lain, /var/lib/lain, /var/lib/docker..., its own network
 * (loopback, and 192.168.77.21/.22 on a veth between two of them) and its own processes.
 *
 * <p>The bootstrap tests install a cluster, deploy the example app, run {@code ./bootstrap} again
 * and compare the store (every key's mod revision), the containers (id, start time, restarts) and
 * the daemons' pids before and after; then cut the power and check that {@code ./bootstrap} brings
 * the cluster back with nothing the operator or developers stored lost. The two-machine test adds a
 * second machine over SSH (Debian's sshd) with its own Docker disk, runs an instance there behind
 * the first one's webrouter, and removes it again. Loop devices stand in for the Docker disks.
 */
class InstallOnMachinesTest {
  private static final Path REPO = Path.of("").toAbsolutePath().getParent().getParent();
  private static final Duration INSTALL = Duration.ofMinutes(5);
  private static final Duration SHORT = Duration.ofSeconds(60);
  private static final String DEPLOY_HELLO =
      "cd examples/hello && ../../bin/lain reposit local && ../../bin/lain build --push local"
          + " && ../../bin/lain deploy local";

  /** What shows why a door is open or shut on a node: listeners, chain counters, nginx's logs. */
  private static final String DOORS_DIAGNOSIS =
      "ss -ltn | grep -w 80; iptables -w -L -n -v; iptables -w -t nat -L -n -v;"
          + " tail -n 5 $(find /var/lib/lain /var/log/lain -name '*.log' -path '*router*' 2>/dev/null)";

  private static final String CURL_HELLO =
      "curl -sS --max-time 5 -H 'Host: hello.lain.local' http://127.0.0.1/";

  /**
   * What the operator and developers stored: a power cut must not change these keys (the rest is
   * the running cluster's own state: node registrations, heartbeats, leader, instance status,
   * router reports).
   */
  private static final List<String> STORED_BY_PEOPLE =
      List.of(
          "/lain/config/", "/lain/console/", "/lain/webrouter/certs/", "/lain/deployd/pod_groups/");

  /**
   * What bootstrap installs in cluster mode (Plan.packages), and what the tests themselves run
   * (sshd plays the second machine's SSH server).
   */
  private static final List<String> BOOTSTRAP_PACKAGES =
      List.of(
          "docker.io",
          "nginx",
          "docker-registry",
          "busybox-static",
          "git",
          "curl",
          "ca-certificates",
          "etcd-server",
          "etcd-client",
          "lvm2",
          "xfsprogs",
          "iproute2",
          "util-linux",
          "openssh-server",
          "systemd-container");

  @BeforeAll
  static void theToolsAreBuilt() {
    RequiredServices.requireRoot("running ./bootstrap");
    // The sandbox has no way out to a Debian mirror, and its dpkg database is an overlay: every
    // package bootstrap would install must be there already.
    List<String> missing = BOOTSTRAP_PACKAGES.stream().filter(p -> !installed(p)).toList();
    if (!missing.isEmpty()) {
      RequiredServices.unmet(
          "./bootstrap in a sandbox needs these packages installed: apt-get install "
              + String.join(" ", missing));
    }
    Path jar = REPO.resolve("tools/lain-dist/target/lain.jar");
    assertThat(jar)
        .as("the tools ./bootstrap runs (build the whole project: ./mvnw verify)")
        .exists();
    try (Stream<Path> sources = Files.walk(REPO)) {
      long built = Files.getLastModifiedTime(jar).toMillis();
      List<Path> newer =
          sources
              .filter(p -> p.toString().contains("/src/main/") && Files.isRegularFile(p))
              .filter(p -> modified(p) > built)
              .limit(3)
              .toList();
      assertThat(newer)
          .as(jar + " is older than these sources: build the whole project (./mvnw verify) first")
          .isEmpty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aSingleNodeBootstrappedTwiceKeepsEverythingAndComesBackAfterAPowerCut() {
    Path dir = REPO.resolve("test/lain-it/target/machine-sandbox/single-node");
    try (MachineSandbox machine = MachineSandbox.start(dir, Optional.empty())) {
      String first = ok(machine, "./bootstrap", INSTALL);
      assertThat(first).contains("LAIN single-node cluster is up").contains("bootstrap finished");
      assertThat(read(machine, "/etc/lain/store")).contains("embedded:/var/lib/lain/store.db");
      Store store = embeddedStore(machine);
      try {
        checkTwiceAndPowerCut(machine, "./bootstrap", () -> keys(store));
      } finally {
        store.close();
      }
    }
  }

  @Test
  void
      aClusterFirstNodeOnEtcdWithADockerDiskBootstrappedTwiceKeepsEverythingAndRefusesASecondNode() {
    Path dir = REPO.resolve("test/lain-it/target/machine-sandbox/cluster");
    // The dedicated Docker disk of the seed: a 12 GiB loop device stands in for /dev/vdb.
    try (LoopDevice disk =
            LoopDevice.attach(REPO.resolve("test/lain-it/target/docker-disk.img"), 12L << 30);
        MachineSandbox machine =
            MachineSandbox.start(
                dir, Optional.of("192.168.77.21/24"), DockerRoot.FOR_A_DOCKER_DISK)) {
      String bootstrap =
          "./bootstrap --no-systemd --node-ip 192.168.77.21 --node-network 192.168.77.0/24"
              + " -n node1 --docker-device "
              + disk.path();
      String first = ok(machine, bootstrap, INSTALL);
      assertThat(first)
          .contains("docker-storage: give " + disk.path() + " to Docker")
          .contains("lain-etcd: started")
          .contains("LAIN cluster is up: node1 is its first node.");
      String info = ok(machine, "docker info 2>&1", SHORT);
      assertThat(info)
          .contains("Storage Driver: overlay2")
          .contains("Backing Filesystem: xfs")
          .contains("Supports d_type: true")
          .doesNotContain("loop");
      assertThat(ok(machine, "findmnt -n -o SOURCE,FSTYPE /var/lib/docker", SHORT))
          .contains(disk.path())
          .contains("xfs");
      assertThat(read(machine, "/etc/lain/store")).contains("etcd://192.168.77.21:2379");
      Map<String, Long> stored = checkTwiceAndPowerCut(machine, bootstrap, () -> etcdKeys(machine));

      // lainctl finds the cluster's etcd through /etc/lain/store.
      assertThat(ok(machine, "bin/lainctl node list", SHORT)).contains("node1");
      assertThat(ok(machine, "bin/lainctl config get domain", SHORT)).isEqualTo("lain.local\n");
      // The webrouter serves the certificate 'web' signed by the CA bootstrap created.
      assertThat(
              ok(
                  machine,
                  "curl -sS --max-time 5 --cacert /etc/lain/ssl/ca.crt"
                      + " --resolve hello.lain.local:443:127.0.0.1 https://hello.lain.local/",
                  SHORT))
          .isEqualTo("hello from LAIN\n");

      // Another node registered: bootstrap would be a second first node, so it refuses.
      ok(
          machine,
          "ETCDCTL_API=3 etcdctl --endpoints http://127.0.0.1:2379 put"
              + " /lain/nodes/nodes/node2:192.168.77.22:22 '{}' >/dev/null",
          SHORT);
      Map<String, Long> withSecondNode = settled(() -> etcdKeys(machine));
      Machine.Result refused = machine.sh(bootstrap, REPO, INSTALL);
      assertThat(refused.exitCode()).as(refused.output()).isEqualTo(1);
      assertThat(refused.output())
          .containsPattern("first-node +FAILED +the store already holds 2 nodes")
          .contains("node2:192.168.77.22:22")
          .contains("nothing was changed");
      assertThat(etcdKeys(machine)).isEqualTo(withSecondNode);
      assertThat(withSecondNode).containsAllEntriesOf(only(stored, STORED_BY_PEOPLE));
    }
  }

  @Test
  void aSecondMachineJoinsOnAVpcThatDropsForeignSourcesAndIsServedThroughTheTunnel() {
    Path dir = REPO.resolve("test/lain-it/target/machine-sandbox/two-machines");
    String bootstrap =
        "./bootstrap --no-systemd --node-ip 192.168.77.21 --node-network 192.168.77.0/24 -n node1";
    try (LoopDevice disk = LoopDevice.attach(dir.resolve("node2-docker-disk.img"), 12L << 30);
        MachineSandbox first = MachineSandbox.start(dir.resolve("node1"), Optional.empty());
        MachineSandbox second =
            MachineSandbox.start(
                dir.resolve("node2"), Optional.empty(), DockerRoot.FOR_A_DOCKER_DISK);
        VpcSwitch vpc = VpcSwitch.create("192.168.77.0/24")) {
      vpc.plug(first, "192.168.77.21/24");
      vpc.plug(second, "192.168.77.22/24");
      ok(first, bootstrap, INSTALL);
      installRestartScript(first);
      // The master logs what the engine decides from here on.
      ok(first, "bash /tmp/restart-service master", SHORT);
      // The second machine: Debian with Docker and sshd; root logs in with the cluster's key.
      ClusterKey key = ClusterKey.loadOrCreate(first.hostPath("/etc/lain").resolve("ssh/id_ecdsa"));
      ok(
          second,
          "mkdir -p -m 700 /root/.ssh /run/sshd && echo '"
              + key.authorizedKeysLine()
              + "' >> /root/.ssh/authorized_keys && chmod 600 /root/.ssh/authorized_keys"
              + " && /usr/sbin/sshd -o ListenAddress=192.168.77.22",
          SHORT);

      String added =
          ok(
              first,
              "bin/lainctl node add --docker-device=" + disk.path() + " node2:192.168.77.22",
              INSTALL);
      assertThat(added)
          .contains("set up Docker on " + disk.path() + ": done")
          .contains("take a block of the container network: 172.20.1.0/24")
          .contains("joined as node2:192.168.77.22:22");
      assertThat(ok(second, "cat /etc/docker/daemon.json", SHORT)).contains("192.168.77.0/24");
      assertThat(ok(second, "docker info 2>&1", SHORT))
          .contains("Storage Driver: overlay2")
          .contains("Backing Filesystem: xfs");
      assertThat(ok(second, "findmnt -n -o SOURCE /var/lib/docker", SHORT)).contains(disk.path());
      assertThat(ok(first, "bin/lainctl node list", SHORT)).contains("node1").contains("node2");
      awaitOutput(first, "ip route show proto 77", "172.20.1.0/24 via 192.168.77.22 dev lain0");
      awaitOutput(second, "ip route show proto 77", "172.20.0.0/24 via 192.168.77.21 dev lain0");

      ok(first, DEPLOY_HELLO, INSTALL);
      ok(first, "cd examples/hello && ../../bin/lain scale local web -n 2", INSTALL);
      String onSecond = instanceOn(first, "node2");
      assertThat(onSecond).as("its own address on node2's block").startsWith("172.20.1.");
      assertThat(ok(second, "docker ps --format '{{.Names}} {{.Image}} {{.Ports}}'", SHORT))
          .contains("hello.web.web")
          .contains("192.168.77.21:5000/hello:release-")
          .doesNotContain("->");

      // Plain routes on this VPC: what a container sends across is dropped, even its replies.
      long dropped = vpc.dropped();
      assertThat(first.sh("curl -sS --max-time 3 http://" + onSecond + "/", REPO, SHORT).exitCode())
          .isNotZero();
      assertThat(vpc.dropped()).isGreaterThan(dropped);

      // ipip on: the agents tunnel between node addresses, the instances get the tunnel's MTU.
      assertThat(ok(first, "bin/lainctl network ipip on", SHORT))
          .isEqualTo("container network 172.20.0.0/16 (a /24 per node, tunnelled between nodes)\n");
      assertThat(ok(first, "bin/lainctl network show", SHORT))
          .contains("172.20.0.0/24  node1  192.168.77.21")
          .contains("172.20.1.0/24  node2  192.168.77.22");
      awaitOutput(first, "ip route show proto 77", "172.20.1.0/24 via 192.168.77.22 dev lainvx0");
      awaitOutput(second, "ip route show proto 77", "172.20.0.0/24 via 192.168.77.21 dev lainvx0");
      for (Machine node : List.of(first, second)) {
        awaitOutput(
            node,
            "docker network inspect -f '{{json .Options}}' lain",
            "\"com.docker.network.driver.mtu\":\"1450\"");
        // Made again on the new network: every instance container has the tunnel's MTU.
        awaitOutput(
            node,
            "echo mtu:$(for c in $(docker ps -q --filter name=hello.web.web); do"
                + " docker exec $c cat /sys/class/net/eth0/mtu; done | sort -u | paste -sd,).",
            "mtu:1450.");
      }
      onSecond = instanceOn(first, "node2");
      String onFirst = instanceOn(first, "node1");
      String containerOnFirst = container(first);
      String containerOnSecond = container(second);
      assertThat(
              ok(first, "docker exec " + containerOnFirst + " cat /sys/class/net/eth0/mtu", SHORT))
          .isEqualTo("1450\n");
      assertThat(ok(first, "curl -sS --max-time 5 http://" + onSecond + "/", SHORT))
          .isEqualTo("hello from LAIN\n");
      // Container to container across the VPC, 10 MB.
      ok(
          second,
          "docker exec "
              + containerOnSecond
              + " dd if=/dev/urandom of=/lain/app/www/big bs=1M count=10",
          SHORT);
      String sent =
          ok(second, "docker exec " + containerOnSecond + " md5sum /lain/app/www/big", SHORT)
              .split(" ")[0];
      String got =
          ok(
                  first,
                  "docker exec "
                      + containerOnFirst
                      + " sh -c \"printf 'GET /big HTTP/1.0\\r\\n\\r\\n'"
                      + " | nc -w 20 "
                      + onSecond.replace(":", " ")
                      + " | sed '1,/^\\r$/d' | md5sum\"",
                  INSTALL)
              .split(" ")[0];
      assertThat(got).isEqualTo(sent);
      assertThat(onFirst).startsWith("172.20.0.");

      // An agent restart changes no route, tunnel, rule or container.
      String state =
          "ip route show proto 77; ip -d link show lainvx0 | tail -n +2; iptables -w -S;"
              + " iptables -w -t nat -S | grep LAIN; docker ps -q --no-trunc";
      String before = ok(first, state, SHORT);
      String records =
          "ETCDCTL_API=3 etcdctl --endpoints http://192.168.77.21:2379 get --prefix /lain/deployd/"
              + " | grep -v '^{\"id\"' | cut -c1-400; cd examples/hello && ../../bin/lain ps local";
      String recordsBefore = ok(first, records, SHORT);
      String agentPid = read(first, "/run/lain/agent.pid");
      // As after a crash: killed, then started again by its supervisor with the same command
      // and environment.
      ok(first, "bash /tmp/restart-service agent", SHORT);
      // Its first passes (a resync is 2 s) have run by then.
      sleep(Duration.ofSeconds(10));
      assertThat(ok(first, "kill -0 $(cat /run/lain/agent.pid) && cat /run/lain/agent.pid", SHORT))
          .isNotEqualTo(agentPid);
      assertThat(ok(first, state, SHORT))
          .as(
              "after the agent's restart: %s%nrecords before:%n%s%nafter:%n%s",
              ok(
                  first,
                  "docker ps -a; grep -v o.e.j /var/log/lain/agent.log | tail -30;"
                      + " grep -v o.e.j /var/log/lain/master.log | tail -40",
                  SHORT),
              recordsBefore,
              ok(first, records, SHORT))
          .isEqualTo(before);

      // The webrouter on node1 serves the app whose instances all run on node2.
      ok(first, "bin/lainctl node drain node1", SHORT);
      awaitOutput(first, "cd examples/hello && ../../bin/lain ps local", "2/2 ready");
      awaitOutput(first, "cd examples/hello && ../../bin/lain ps local | grep -c ' node2 '", "2");
      containerOnSecond = container(second);
      for (int i = 0; i < 20; i++) {
        assertThat(ok(first, CURL_HELLO, SHORT)).isEqualTo("hello from LAIN\n");
      }

      // Doors: no platform port on either node opens to an app container; each is open to nodes.
      // {address, port, the machine that shows the port is open to nodes ("" for a gateway)}
      String[][] doors = {
        {"192.168.77.21", "2379", "second"},
        {"192.168.77.21", "2380", "second"},
        {"192.168.77.21", "9000", "second"},
        {"192.168.77.21", "5000", "second"},
        {"192.168.77.21", "9005", "second"},
        {"192.168.77.22", "9005", "first"},
        {"192.168.77.22", "22", "first"},
        {"172.20.0.1", "9000", ""},
        {"172.20.1.1", "9005", ""}
      };
      for (String[] door : doors) {
        if (!door[2].isEmpty()) {
          Machine node = door[2].equals("first") ? first : second;
          String open = "timeout 5 bash -c '</dev/tcp/" + door[0] + "/" + door[1] + "'";
          assertThat(node.sh(open, REPO, SHORT).exitCode())
              .as("a node opens " + door[0] + ":" + door[1])
              .isZero();
        }
        String tried =
            ok(
                second,
                "docker exec "
                    + containerOnSecond
                    + " sh -c 'timeout 5 nc -w 3 "
                    + door[0]
                    + " "
                    + door[1]
                    + " </dev/null 2>&1; echo exit $?'",
                SHORT);
        assertThat(tried)
            .as("an app container tries " + door[0] + ":" + door[1])
            .contains("can't connect");
      }
      assertThat(
              ok(
                  second,
                  "curl -sS --max-time 5 -H 'Host: hello.lain.local' http://192.168.77.21/",
                  SHORT))
          .as("node1's webrouter serves node2")
          .isEqualTo("hello from LAIN\n");
      String fromApp =
          ok(
              second,
              "docker exec "
                  + containerOnSecond
                  // nc must not half-close: nginx takes a client's FIN as an abort (499).
                  + " sh -c \"(printf 'GET / HTTP/1.0\\r\\nHost:"
                  + " hello.lain.local\\r\\n\\r\\n'; sleep 4) | timeout 5 nc -w 3 192.168.77.21 80"
                  + " 2>&1;"
                  + " echo exit \\$?\"",
              SHORT);
      if (!fromApp.contains("hello from LAIN")) {
        throw new AssertionError(
            "the webrouter's port is not open to apps: "
                + fromApp
                + "\nnode1:\n"
                + first.sh(DOORS_DIAGNOSIS, REPO, SHORT).output()
                + "\nnode2:\n"
                + second.sh(DOORS_DIAGNOSIS, REPO, SHORT).output());
      }
      ok(first, "bin/lainctl node maintain node1 -r", SHORT);

      // node2 leaves: its route goes from node1, its instances come back to node1.
      String removed = ok(first, "bin/lainctl node remove node2", INSTALL);
      assertThat(removed)
          .contains("[node2] clear the container network's routes and chains: cleared:");
      assertThat(ok(second, "ip route show proto 77", SHORT)).isEmpty();
      assertThat(ok(second, "ip -o link show; iptables -w -S; iptables -w -t nat -S", SHORT))
          .doesNotContain("lainvx0")
          .doesNotContain("LAIN-");
      assertThat(ok(first, "bin/lainctl node list", SHORT)).doesNotContain("node2");
      awaitOutput(first, "ip route show proto 77 | wc -l", "0");
      assertThat(ok(second, "docker ps -q --filter name=hello.web.web", SHORT)).isBlank();
      String after =
          awaitOutput(first, "cd examples/hello && ../../bin/lain ps local", "2/2 ready");
      assertThat(after).doesNotContain(" node2 ");
      assertThat(ok(first, CURL_HELLO, SHORT)).isEqualTo("hello from LAIN\n");
    }
  }

  /**
   * The production install's own command on a server under systemd: LAIN's registry image comes
   * from {@code -r} (a stand-in for registry.aliyuncs.com on the VPC), Docker gets its own disk and
   * the container network is tunnelled; then a second server joins with its own Docker disk and
   * serves hello.
   */
  @Test
  void theSeedsCommandUnderSystemdThenANodeAddedWithItsDockerDiskServesHelloFromIt() {
    Path dir = REPO.resolve("test/lain-it/target/machine-sandbox/systemd-seed");
    Path target = REPO.resolve("test/lain-it/target");
    try (LoopDevice vdb1 = LoopDevice.attach(target.resolve("seed-node1-disk.img"), 12L << 30);
        LoopDevice vdb2 = LoopDevice.attach(target.resolve("seed-node2-disk.img"), 12L << 30);
        VpcSwitch vpc = VpcSwitch.create("192.168.77.0/24");
        UpstreamRegistry aliyun =
            UpstreamRegistry.start(
                vpc, "192.168.77.10/24", "registry.aliyuncs.com", target.resolve("seed-registry"));
        SystemdMachine first =
            SystemdMachine.boot(
                dir.resolve("node1"),
                List.of(REPO),
                DockerRoot.FOR_A_DOCKER_DISK,
                List.of(vdb1.path()));
        SystemdMachine second =
            SystemdMachine.boot(
                dir.resolve("node2"),
                List.of(REPO),
                DockerRoot.FOR_A_DOCKER_DISK,
                List.of(vdb2.path()))) {
      aliyun.put(
          "laincloud/registry",
          "2",
          UpstreamRegistry.programImage(Path.of("/usr/bin/docker-registry"), "/bin/registry"),
          List.of("/bin/registry"));
      vpc.plug(first, "192.168.77.21/24");
      vpc.plug(second, "192.168.77.22/24");
      ok(first, aliyun.trustScript(), SHORT);

      String seed =
          "./bootstrap -r registry.aliyuncs.com/laincloud --docker-device="
              + vdb1.path()
              + " --ipip";
      String plan = ok(first, seed + " --dry-run", INSTALL);
      assertThat(plan)
          .contains("container-network")
          .contains("tunnelled between nodes")
          .contains("from the image registry.aliyuncs.com/laincloud/registry:2");
      String installed = ok(first, seed, INSTALL);
      assertThat(installed)
          .contains("docker-storage: give " + vdb1.path() + " to Docker")
          .contains("LAIN cluster is up");
      assertThat(aliyun.requestsFor("/v2/laincloud/registry/manifests/2")).isPositive();
      assertThat(ok(first, "docker ps --format '{{.Image}}' --filter name=lain-registry", SHORT))
          .isEqualTo("registry.aliyuncs.com/laincloud/registry:2\n");
      assertThat(ok(first, "findmnt -n -o SOURCE /var/lib/docker", SHORT)).contains(vdb1.path());
      assertThat(ok(first, "bin/lainctl network show", SHORT)).contains("tunnelled between nodes");
      assertThat(ok(first, "systemctl is-active lain-registry lain-master lain-agent", SHORT))
          .isEqualTo("active\nactive\nactive\n");
      assertThat(ok(first, seed, INSTALL)).contains("bootstrap finished: 0 step(s) done");

      ClusterKey key = ClusterKey.loadOrCreate(first.path("/etc/lain/ssh/id_ecdsa"));
      ok(
          second,
          "mkdir -p -m 700 /root/.ssh && echo '"
              + key.authorizedKeysLine()
              + "' >> /root/.ssh/authorized_keys && chmod 600 /root/.ssh/authorized_keys"
              + " && systemctl start ssh",
          SHORT);
      String added =
          ok(
              first,
              "bin/lainctl node add --docker-device=" + vdb2.path() + " node2:192.168.77.22",
              INSTALL);
      assertThat(added)
          .contains("set up Docker on " + vdb2.path() + ": done")
          .contains("joined as node2:192.168.77.22:22");
      assertThat(ok(second, "findmnt -n -o SOURCE /var/lib/docker", SHORT)).contains(vdb2.path());
      assertThat(ok(second, "systemctl is-active lain-agent", SHORT)).isEqualTo("active\n");
      awaitOutput(second, "ip -d link show lainvx0", "vxlan id 4242");

      ok(first, DEPLOY_HELLO, INSTALL);
      ok(first, "cd examples/hello && ../../bin/lain scale local web -n 2", INSTALL);
      String firstNode = ok(first, "hostname", SHORT).strip();
      ok(first, "bin/lainctl node drain " + firstNode, SHORT);
      awaitOutput(first, "cd examples/hello && ../../bin/lain ps local | grep -c ' node2 '", "2");
      String onSecond = instanceOn(first, "node2");
      assertThat(onSecond).startsWith("172.20.1.");
      awaitOutput(first, CURL_HELLO + " 2>&1", "hello from LAIN");
      for (int i = 0; i < 10; i++) {
        assertThat(ok(first, CURL_HELLO, SHORT)).isEqualTo("hello from LAIN\n");
      }
    }
  }

  /**
   * {@code bash /tmp/restart-service NAME} kills a daemon of the pid-file supervision and starts it
   * again with its command line and environment (logging at INFO), as its supervisor would after a
   * crash. The sandbox's init reaps nothing: a dead daemon stays a zombie.
   */
  private static void installRestartScript(Machine machine) {
    ok(
        machine,
        String.join(
            "\n",
            "cat > /tmp/restart-service <<'EOF'",
            "pid=$(cat /run/lain/$1.pid)",
            "cp /proc/$pid/environ /tmp/$1.env0 && cp /proc/$pid/cmdline /tmp/$1.cmd0",
            "kill -9 $pid && echo \"restart-service: killed $1 (pid $pid) at $(date +%T.%N)\" >> /var/log/lain/$1.log",
            "for i in $(seq 100); do s=$(awk '/^State:/ {print $2}' /proc/$pid/status 2>/dev/null);"
                + " if [ -z \"$s\" ] || [ \"$s\" = Z ]; then break; fi; sleep 0.2; done",
            "echo \"restart-service: starting $1 at $(date +%T.%N)\" >> /var/log/lain/$1.log",
            "export SERVICE=$1",
            "setsid -f /bin/sh -c 'echo $$ > /run/lain/$SERVICE.pid; exec perl -e \"local \\$/;"
                + " open E, qq(/tmp/\\$ENV{SERVICE}.env0); %ENV = map { split /=/, \\$_, 2 }"
                + " split /\\0/, <E>; \\$ENV{LAIN_LOG_LEVEL} = q(INFO);"
                + " open C, qq(/tmp/\\$ARGV[0].cmd0); exec split /\\0/, <C>\" $SERVICE"
                + " >> /var/log/lain/$SERVICE.log 2>&1 </dev/null'",
            "EOF"),
        SHORT);
  }

  /** The address of a ready instance of hello on {@code node}, as lain ps shows it. */
  private static String instanceOn(Machine machine, String node) {
    String ps = awaitOutput(machine, "cd examples/hello && ../../bin/lain ps local", "2/2 ready");
    return ps.lines()
        .filter(l -> l.contains(" " + node + " "))
        .findFirst()
        .map(l -> l.trim().split("\\s+")[4])
        .orElseThrow(() -> new AssertionError("no instance on " + node + ":\n" + ps));
  }

  /** The id of a running hello container on {@code machine}. */
  private static String container(Machine machine) {
    String ids = ok(machine, "docker ps -q --filter name=hello.web.web", SHORT).strip();
    assertThat(ids).as("a hello container runs here").isNotEmpty();
    return ids.lines().findFirst().orElseThrow();
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void theReadmesFirstCommandUnderSystemdSurvivesACrashAndAReboot() {
    try (SystemdMachine machine =
        SystemdMachine.boot(
            REPO.resolve("test/lain-it/target/machine-sandbox/systemd-single-node"),
            List.of(REPO))) {
      String first = ok(machine, "./bootstrap && " + DEPLOY_HELLO + " && " + CURL_HELLO, INSTALL);
      assertThat(first)
          .contains("units written: lain-registry, lain-node, lain-router")
          .contains("lain-node: started by systemd")
          .endsWith("hello from LAIN\n");
      assertThat(ok(machine, "systemctl is-enabled lain-registry lain-node lain-router", SHORT))
          .isEqualTo("enabled\nenabled\nenabled\n");
      // Debian's own nginx and registry would take the webrouter's and the registry's ports at
      // boot.
      assertThat(machine.sh("systemctl is-enabled nginx docker-registry", REPO, SHORT).output())
          .isEqualTo("disabled\ndisabled\n");

      String pid = ok(machine, "systemctl show -p MainPID --value lain-node", SHORT).strip();
      ok(machine, "kill -9 " + pid, SHORT);
      awaitOutput(machine, "systemctl show -p NRestarts --value lain-node", "1");
      awaitOutput(machine, CURL_HELLO + " 2>&1", "hello from LAIN");

      machine.reboot();
      awaitOutput(machine, CURL_HELLO + " 2>&1", "hello from LAIN");
      assertThat(ok(machine, "./bootstrap", INSTALL))
          .contains("bootstrap finished: 0 step(s) done");
    }
  }

  @Test
  void aClusterFirstNodeUnderSystemdComesBackAfterAReboot() {
    String nodeIp =
        "ip link add lain0 type veth peer name lain0p && ip addr add 192.168.77.21/24 dev lain0"
            + " && ip link set lain0p up && ip link set lain0 up && ip route add default dev lain0";
    String bootstrap =
        "./bootstrap --node-ip 192.168.77.21 --node-network 192.168.77.0/24 -n node1";
    try (SystemdMachine machine =
        SystemdMachine.boot(
            REPO.resolve("test/lain-it/target/machine-sandbox/systemd-cluster"), List.of(REPO))) {
      ok(machine, nodeIp, SHORT);
      String first = ok(machine, bootstrap, INSTALL);
      assertThat(first)
          .contains("docker: restart dockerd to apply its new configuration")
          .contains("units written: lain-etcd, lain-registry, lain-master, lain-agent, lain-router")
          .contains("lain-etcd: started by systemd")
          .contains("LAIN cluster is up: node1 is its first node.");
      ok(machine, DEPLOY_HELLO, INSTALL);
      assertThat(ok(machine, CURL_HELLO, SHORT)).isEqualTo("hello from LAIN\n");

      // The node IP is not configured at boot here (it is on a server): the units retry until it
      // is.
      machine.reboot();
      ok(machine, nodeIp, SHORT);
      awaitOutput(machine, CURL_HELLO + " 2>&1", "hello from LAIN");
      assertThat(
              ok(
                  machine,
                  "systemctl is-active lain-etcd lain-registry lain-master lain-agent lain-router",
                  SHORT))
          .isEqualTo("active\nactive\nactive\nactive\nactive\n");
      assertThat(ok(machine, "bin/lainctl cluster health", SHORT)).doesNotContain("FAIL");
      assertThat(ok(machine, bootstrap, INSTALL)).contains("bootstrap finished: 0 step(s) done");
    }
  }

  /** Runs {@code script} until its output contains {@code wanted} (2 minutes at most). */
  private static String awaitOutput(Machine machine, String script, String wanted) {
    String output = "";
    for (int i = 0; i < 120; i++) {
      output = machine.sh(script, REPO, SHORT).output();
      if (output.contains(wanted)) {
        return output;
      }
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError(script + " never printed '" + wanted + "'; last:\n" + output);
  }

  /**
   * Deploys the example app, runs {@code bootstrap} again and checks nothing changed, cuts the
   * power, runs it once more and checks the app is served with what people stored kept.
   *
   * @return the store's keys after the power cut
   */
  private static Map<String, Long> checkTwiceAndPowerCut(
      MachineSandbox machine, String bootstrap, KeySource keys) {
    ok(machine, DEPLOY_HELLO, INSTALL);
    assertThat(ok(machine, CURL_HELLO, SHORT)).isEqualTo("hello from LAIN\n");
    Snapshot before = Snapshot.of(machine, keys);
    assertThat(before.containers()).anyMatch(c -> c.contains("/hello.web.web.v1-i1-"));

    String second = ok(machine, bootstrap, INSTALL);
    assertThat(second).contains("bootstrap finished: 0 step(s) done");
    Snapshot after = Snapshot.of(machine, keys);
    assertThat(after.keys()).isEqualTo(before.keys());
    assertThat(after.containers()).isEqualTo(before.containers());
    assertThat(after.pids()).isEqualTo(before.pids());
    assertThat(ok(machine, CURL_HELLO, SHORT)).isEqualTo("hello from LAIN\n");

    machine.powerCycle();
    assertThat(machine.sh(CURL_HELLO, REPO, SHORT).succeeded()).isFalse();
    String restart = ok(machine, bootstrap, INSTALL);
    assertThat(restart).contains("bootstrap finished");
    String served = "";
    for (int i = 0; i < 120 && !served.equals("hello from LAIN\n"); i++) {
      served = machine.sh(CURL_HELLO + " 2>/dev/null; sleep 0.5", REPO, SHORT).output();
    }
    assertThat(served)
        .as("the app is served again after the power cut")
        .isEqualTo("hello from LAIN\n");
    Map<String, Long> afterPowerCut = keys.get();
    assertThat(only(afterPowerCut, STORED_BY_PEOPLE))
        .isEqualTo(only(before.keys(), STORED_BY_PEOPLE));
    assertThat(ok(machine, "cd examples/hello && ../../bin/lain ps local", SHORT))
        .contains("hello");
    return afterPowerCut;
  }

  /**
   * The keys once the cluster has settled (two readings 3 s apart agree): after a power cut the
   * engine, agents and routers rewrite their state for a while.
   */
  private static Map<String, Long> settled(KeySource keys) {
    Map<String, Long> last = keys.get();
    for (int i = 0; i < 40; i++) {
      try {
        Thread.sleep(3000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      Map<String, Long> now = keys.get();
      if (now.equals(last)) {
        return now;
      }
      last = now;
    }
    throw new AssertionError("the store did not settle within 2 minutes: " + last);
  }

  /** The store's keys and mod revisions, the containers and the daemons' pids. */
  private record Snapshot(Map<String, Long> keys, List<String> containers, List<String> pids) {
    static Snapshot of(MachineSandbox machine, KeySource keys) {
      List<String> containers =
          ok(
                  machine,
                  "docker ps -aq --no-trunc | xargs -r docker inspect -f"
                      + " '{{.Id}} {{.Name}} {{.State.Status}} {{.State.StartedAt}}"
                      + " restarts={{.RestartCount}}' | sort",
                  SHORT)
              .lines()
              .toList();
      List<String> pids = ok(machine, "cd /run/lain && grep -H . *.pid", SHORT).lines().toList();
      return new Snapshot(keys.get(), containers, pids);
    }
  }

  @FunctionalInterface
  private interface KeySource {
    Map<String, Long> get();
  }

  private static Store embeddedStore(MachineSandbox machine) {
    return Stores.open("embedded:" + machine.hostPath("/var/lib/lain").resolve("store.db"));
  }

  private static Map<String, Long> keys(Store store) {
    Map<String, Long> keys = new TreeMap<>();
    for (KeyValue kv : store.list("/").entries()) {
      keys.put(kv.key(), kv.modRevision());
    }
    return keys;
  }

  private static Map<String, Long> etcdKeys(MachineSandbox machine) {
    String json =
        ok(
            machine,
            "ETCDCTL_API=3 etcdctl --endpoints http://127.0.0.1:2379 get --prefix / -w json",
            SHORT);
    try {
      JsonNode kvs = new ObjectMapper().readTree(json).path("kvs");
      Map<String, Long> keys = new TreeMap<>();
      for (JsonNode kv : kvs) {
        String key =
            new String(Base64.getDecoder().decode(kv.path("key").asText()), StandardCharsets.UTF_8);
        keys.put(key, kv.path("mod_revision").asLong());
      }
      return keys;
    } catch (IOException e) {
      throw new UncheckedIOException("etcdctl printed no JSON: " + json, e);
    }
  }

  private static Map<String, Long> only(Map<String, Long> keys, List<String> prefixes) {
    Map<String, Long> kept = new TreeMap<>();
    keys.forEach(
        (key, revision) -> {
          if (prefixes.stream().anyMatch(key::startsWith)) {
            kept.put(key, revision);
          }
        });
    return kept;
  }

  private static String ok(Machine machine, String script, Duration timeout) {
    Machine.Result result = machine.sh(script, REPO, timeout);
    assertThat(result.exitCode()).as("%s printed:%n%s", script, result.output()).isZero();
    return result.output();
  }

  private static String read(Machine machine, String file) {
    return ok(machine, "cat " + file, SHORT);
  }

  private static boolean installed(String debianPackage) {
    try {
      Process query =
          new ProcessBuilder("dpkg-query", "-W", "-f=${Status}", debianPackage)
              .redirectErrorStream(true)
              .start();
      String status = new String(query.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return query.waitFor() == 0 && status.contains("install ok installed");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static long modified(Path file) {
    try {
      return Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
