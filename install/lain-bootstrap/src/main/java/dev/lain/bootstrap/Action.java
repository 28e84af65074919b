package dev.lain.bootstrap;

import java.util.List;
import java.util.Objects;

/**
 * What an executor does for one {@link Step}: a closed set, so that an executor's {@code switch}
 * covers every kind. Every action is safe to repeat: it checks before it changes.
 */
public sealed interface Action {

  /** {@code apt-get install --no-install-recommends} the packages not installed yet. */
  record InstallPackages(List<String> packages) implements Action {
    public InstallPackages {
      packages = List.copyOf(packages);
    }
  }

  /**
   * Docker storage on a dedicated disk: an LVM physical volume on {@code device}, volume group
   * {@code volumeGroup}, logical volume {@code logicalVolume} over all of it, formatted {@code
   * filesystem} (xfs with ftype=1, as overlay2 needs) and mounted on {@code mountPoint} through
   * /etc/fstab. lain-docker-disk carries it out.
   *
   * @param lvm false on a kernel without device-mapper: the filesystem goes on the whole device
   * @param wipe whether existing signatures are wiped first ({@code --force})
   */
  record PrepareDockerStorage(
      String device,
      String volumeGroup,
      String logicalVolume,
      String filesystem,
      String mountPoint,
      boolean lvm,
      boolean wipe)
      implements Action {
    public PrepareDockerStorage {
      Objects.requireNonNull(device, "device");
      Objects.requireNonNull(volumeGroup, "volumeGroup");
      Objects.requireNonNull(logicalVolume, "logicalVolume");
      Objects.requireNonNull(filesystem, "filesystem");
      Objects.requireNonNull(mountPoint, "mountPoint");
    }
  }

  /**
   * Writes dockerd's configuration: {@code content} is the whole file, keys already there that
   * bootstrap does not manage kept.
   */
  record WriteFile(String path, String content) implements Action {
    public WriteFile {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(content, "content");
    }
  }

  /** Starts dockerd, or restarts it when its configuration changed. */
  record StartDocker(boolean restart, Supervision supervision) implements Action {
    public StartDocker {
      Objects.requireNonNull(supervision, "supervision");
    }
  }

  /**
   * Stops and disables Debian's own services that would hold the webrouter's and registry's ports.
   */
  record StopServices(List<String> services) implements Action {
    public StopServices {
      services = List.copyOf(services);
    }
  }

  /** Writes the systemd units (and reloads systemd), or prepares /run/lain and /var/log/lain. */
  record Supervise(Supervision supervision, List<Service> services) implements Action {
    public Supervise {
      Objects.requireNonNull(supervision, "supervision");
      services = List.copyOf(services);
    }
  }

  /**
   * Starts services and waits until each answers; restarts those in {@code restart} (their unit
   * changed).
   *
   * @param files files written first (whole contents), e.g. the registry's configuration
   */
  record StartServices(List<Service> services, List<String> restart, List<WriteFile> files)
      implements Action {
    public StartServices {
      services = List.copyOf(services);
      restart = List.copyOf(restart);
      files = List.copyOf(files);
    }
  }

  /**
   * Nothing to start: laind creates the embedded store file on its first start. The node's store
   * file is written so lainctl finds the store.
   */
  record UseEmbeddedStore(String path, WriteFile nodeStoreFile) implements Action {}

  /** Builds {@code lain/busybox:latest} from Debian's busybox-static (no Docker Hub needed). */
  record BuildBaseImage(String image) implements Action {}

  /** Writes {@code /lain/config/*} values (already checked and canonical) into the store. */
  record WriteStore(String storeUrl, List<StoreWrite> writes) implements Action {
    public WriteStore {
      writes = List.copyOf(writes);
    }
  }

  /** One store key and its value. */
  record StoreWrite(String key, String value) {}

  /**
   * Creates a self-signed CA (its key stays in {@code caKey}, mode 0600) and a certificate for
   * {@code hosts} signed by it, kept as the webrouter's certificate {@code name} (lainctl ssl), and
   * points the hosts at it in /lain/config/ssl.
   */
  record CreateCertificates(
      String storeUrl, String name, List<String> hosts, String caCert, String caKey, String ssl)
      implements Action {
    public CreateCertificates {
      hosts = List.copyOf(hosts);
    }
  }

  /** {@code lainctl user add admin --admin} and a login of the lain CLI's phase {@code local}. */
  record CreateAdminToken(String storeUrl, String user, String cliConfig) implements Action {}
}
