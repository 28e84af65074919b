package dev.lain.bootstrap;

import dev.lain.store.Stores;
import java.nio.file.Path;

/** Where an installed node keeps things; the same paths the bash installer uses. */
public final class Layout {
  public static final String STATE = "/var/lib/lain";
  public static final String ETC = "/etc/lain";
  public static final String RUN = "/run/lain";
  public static final String LOGS = "/var/log/lain";
  public static final String EMBEDDED_STORE = STATE + "/store.db";

  /** The node's record of its store URL, read by lainctl and laind when not told otherwise. */
  public static final String STORE_FILE = Stores.NODE_FILE_PATH;

  public static final String ETCD_DATA = STATE + "/etcd";
  public static final String REGISTRY_DATA = STATE + "/registry";
  public static final String REGISTRY_CONFIG = ETC + "/registry.yml";
  public static final String CA_CERT = ETC + "/ssl/ca.crt";
  public static final String CA_KEY = ETC + "/ssl/ca.key";
  public static final String DAEMON_JSON = "/etc/docker/daemon.json";
  public static final String DOCKER_DATA = "/var/lib/docker";

  /** Appended (with a time) to a pristine Docker data root moved aside for a Docker disk. */
  public static final String MOVED_ASIDE = ".pre-lain-";

  public static final String FSTAB = "/etc/fstab";
  public static final String SYSTEMD_UNITS = "/etc/systemd/system";
  public static final String SYSTEMD_RUNNING = "/run/systemd/system";
  public static final String ADMIN_CLI_CONFIG = "/root/.lain/lain.conf.yaml";

  /** The cluster admin bootstrap creates, as LAIN named it. */
  public static final String ADMIN_USER = "admin";

  /** The volume group and logical volume made on {@code --docker-device}, as LAIN named them. */
  public static final String DOCKER_VG = "docker";

  public static final String DOCKER_LV = "data";

  /** What {@code findmnt} reports as the source of /var/lib/docker once the device is prepared. */
  public static final String DOCKER_LV_MAPPER = "/dev/mapper/docker-data";

  public static final int ETCD_CLIENT_PORT = 2379;
  public static final int ETCD_PEER_PORT = 2380;
  public static final int REGISTRY_PORT = 5000;
  public static final int CONSOLE_PORT = 9000;

  /** The ssh port laind's agent registers its node with when not told otherwise, as LAIN did. */
  public static final int AGENT_SSH_PORT = 22;

  /** Below this a device is refused, as LAIN's docker role did. */
  public static final long MIN_DEVICE_BYTES = 10L * 1024 * 1024 * 1024;

  private Layout() {}

  /** {@code absolute}, a path on the machine, under {@code root} ({@code /}, or a sandbox). */
  public static Path under(Path root, String absolute) {
    return root.resolve(absolute.replaceFirst("^/+", ""));
  }

  public static String unit(String service) {
    return SYSTEMD_UNITS + "/" + service + ".service";
  }

  public static String pidFile(String service) {
    return RUN + "/" + service.replaceFirst("^lain-", "") + ".pid";
  }

  public static String logFile(String service) {
    return LOGS + "/" + service.replaceFirst("^lain-", "") + ".log";
  }
}
