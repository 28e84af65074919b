package dev.lain.bootstrap;

import dev.lain.model.network.AddressPool;
import dev.lain.model.network.Cidr;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the operator asked {@code ./bootstrap} for, checked: every value here is well-formed. What
 * depends on the machine (the node IP being one of its addresses, the device being a free disk) is
 * left to {@link Preflight}; what is not given is chosen from {@link Facts} by {@link
 * NodeIdentity}.
 *
 * @param mode {@link Mode#CLUSTER} unless {@code --single-node}
 * @param registryBootstrap {@code -r}: registry and namespace the cluster's own images are pulled
 *     from (e.g. {@code registry.aliyuncs.com/laincloud}); the registry then runs from an image
 *     instead of Debian's docker-registry package
 * @param registryMirror {@code -m}: a Docker registry mirror URL (canonical form, no trailing /)
 * @param dockerDevice {@code --docker-device}: a block device under /dev given to Docker storage
 * @param nodeName {@code -n}: the node's name; the host name when absent
 * @param nodeIp {@code --node-ip}; 127.0.0.1 on a single node, else the address of the interface of
 *     the default route when absent
 * @param nodeNetwork {@code --node-network} in canonical CIDR form; the node IP's interface network
 *     when absent
 * @param containerNetwork {@code --container-network}: the pool instance addresses come from; when
 *     absent, the one the store holds, else {@link AddressPool#DEFAULT_NETWORK}
 * @param ipip {@code --ipip}: traffic between nodes' containers is tunnelled so that the wire
 *     carries only node addresses (a VPC that drops foreign sources still delivers it); once on, a
 *     re-run without it keeps it on
 * @param domain the cluster domain, {@code lain.local} by default
 * @param httpPort the webrouter's internal HTTP port (80)
 * @param httpsPort the webrouter's internal HTTPS port (443)
 * @param dryRun print the plan, change nothing
 * @param noSystemd supervise the daemons with pid files under /run/lain even where systemd runs
 * @param force accept a docker device that carries a filesystem, partition table or LVM signature
 * @param storageOnly {@code --storage-only} (with {@code --docker-device}): only the node-side
 *     Docker steps (packages, docker-storage, docker-config, docker), as {@code lainctl node add}
 *     runs them on a node; nothing about the cluster store
 * @param root where the machine's files are read from: {@code /}, or a sandbox in tests
 * @param laind the launcher the daemons run ({@code ./bootstrap} passes its {@code bin/laind})
 */
@RecordBuilder
public record Options(
    Mode mode,
    Optional<String> registryBootstrap,
    Optional<String> registryMirror,
    Optional<String> dockerDevice,
    Optional<String> nodeName,
    Optional<String> nodeIp,
    Optional<String> nodeNetwork,
    Optional<Cidr> containerNetwork,
    boolean ipip,
    String domain,
    int httpPort,
    int httpsPort,
    boolean dryRun,
    boolean noSystemd,
    boolean force,
    boolean storageOnly,
    Path root,
    String laind)
    implements OptionsBuilder.With {

  public static final String DEFAULT_DOMAIN = "lain.local";
  public static final String DEFAULT_LAIND = "/usr/local/bin/laind";

  public Options {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(registryBootstrap, "registryBootstrap");
    Objects.requireNonNull(registryMirror, "registryMirror");
    Objects.requireNonNull(dockerDevice, "dockerDevice");
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(nodeIp, "nodeIp");
    Objects.requireNonNull(nodeNetwork, "nodeNetwork");
    Objects.requireNonNull(containerNetwork, "containerNetwork");
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(laind, "laind");
    if (!root.isAbsolute()) {
      throw new IllegalArgumentException("root must be absolute: " + root);
    }
  }

  /** The defaults: cluster mode, domain lain.local, ports 80/443, the real machine. */
  public static Options defaults() {
    return new Options(
        Mode.CLUSTER,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        false,
        DEFAULT_DOMAIN,
        80,
        443,
        false,
        false,
        false,
        false,
        Path.of("/"),
        DEFAULT_LAIND);
  }

  /**
   * Parses and checks {@code ./bootstrap}'s flags, reporting every problem at once.
   *
   * @return {@link Parsed.Valid}, {@link Parsed.Invalid} with one line per problem, each naming the
   *     flag and the value, or {@link Parsed.HelpRequested}
   */
  public static Parsed parse(String... args) {
    return BootstrapFlags.parse(args);
  }

  /** The store URL laind is given: the embedded file, or etcd on the node IP. */
  public String storeUrl(String nodeIp) {
    return mode == Mode.SINGLE_NODE
        ? "embedded:" + Layout.EMBEDDED_STORE
        : "etcd://" + nodeIp + ":" + Layout.ETCD_CLIENT_PORT;
  }

  /** The outcome of parsing the command line. */
  public sealed interface Parsed {
    record Valid(Options options) implements Parsed {
      public Valid {
        Objects.requireNonNull(options, "options");
      }
    }

    /** Every problem, one line each, e.g. {@code --node-ip: '300.1.1.1' has an octet above 255}. */
    record Invalid(List<String> problems) implements Parsed {
      public Invalid {
        problems = List.copyOf(problems);
        if (problems.isEmpty()) {
          throw new IllegalArgumentException("an invalid command line needs a problem");
        }
      }
    }

    record HelpRequested(String usage) implements Parsed {}
  }
}
