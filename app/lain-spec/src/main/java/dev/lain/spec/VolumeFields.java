package dev.lain.spec;

import dev.lain.spec.YNode.Position;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The fields of a proc that name paths in its containers: volumes (with backups), cloud volumes,
 * logs and secret files.
 */
final class VolumeFields {
  private static final List<String> CLOUD_VOLUME_KEYS = List.of("type", "dirs");
  private static final List<String> BACKUP_KINDS = List.of("backup_full", "backup_increment");
  private static final List<String> BACKUP_KEYS =
      List.of("schedule", "expire", "pre_run", "post_run");
  private static final Pattern CRON_FIELD = Pattern.compile("^[0-9A-Za-z*/,\\-]+$");
  private static final Pattern EXPIRE = Pattern.compile("^[1-9][0-9]*[dhm]$");

  private final Diagnostics d;

  VolumeFields(Diagnostics d) {
    this.d = d;
  }

  /**
   * {@code volumes} or its old name {@code persistent_dirs}. When both are written the conflict is
   * reported and both lists are still checked, so every problem shows at once.
   */
  Optional<List<Volume>> volumes(MapReader f) {
    Optional<YNode.Scalar> volumesKey = f.keyNode("volumes");
    Optional<YNode.Scalar> dirsKey = f.keyNode("persistent_dirs");
    if (volumesKey.isPresent() && dirsKey.isPresent()) {
      boolean volumesFirst = volumesKey.get().at().compareTo(dirsKey.get().at()) < 0;
      YNode.Scalar second = volumesFirst ? dirsKey.get() : volumesKey.get();
      d.violation(
          f.path(second.text()),
          second,
          "volumes and persistent_dirs are the same setting; write only one of them");
      volumeList(f, "volumes");
      volumeList(f, "persistent_dirs");
      return Optional.empty();
    }
    return volumeList(f, dirsKey.isPresent() ? "persistent_dirs" : "volumes");
  }

  private Optional<List<Volume>> volumeList(MapReader f, String key) {
    Optional<YNode> node = f.value(key);
    if (node.isEmpty()) {
      return Optional.empty();
    }
    FieldPath path = f.path(key);
    List<Volume> volumes = new ArrayList<>();
    Map<String, Integer> pathLines = new HashMap<>();
    Optional<List<YNode>> items =
        Read.list(node.get(), path, d, "paths or {path: {backup_full: ...}} mappings");
    if (items.isEmpty()) {
      return Optional.empty();
    }
    for (int i = 0; i < items.get().size(); i++) {
      YNode item = items.get().get(i);
      FieldPath itemPath = path.index(i);
      Optional<Volume> volume = volume(item, itemPath);
      if (volume.isPresent()) {
        Integer earlier = pathLines.putIfAbsent(volume.get().path(), item.at().line());
        if (earlier != null) {
          d.violation(
              itemPath,
              item,
              "volume "
                  + volume.get().path()
                  + " is already declared at line "
                  + earlier
                  + "; declare each volume once");
        } else {
          volumes.add(volume.get());
        }
      }
    }
    if (!pathLines.containsKey(ContainerPaths.LOGS_DIR)) {
      volumes.add(Volume.LOGS);
    }
    return Optional.of(volumes);
  }

  private Optional<Volume> volume(YNode item, FieldPath path) {
    switch (item) {
      case YNode.Scalar s when !s.isNull() -> {
        return volumePath(s.text(), s, path).map(p -> new Volume(p, List.of()));
      }
      case YNode.Mapping mapping when mapping.entries().size() == 1 -> {
        YNode.Entry entry = mapping.entries().getFirst();
        if (!(entry.key() instanceof YNode.Scalar key)) {
          d.violation(
              path,
              entry.key(),
              "the volume path must be a string, got " + Describe.node(entry.key()));
          return Optional.empty();
        }
        Optional<String> volumePath = volumePath(key.text(), key, path);
        List<Backup> backups = backups(entry.value(), path.key(key.text()), key.at());
        return volumePath.map(p -> new Volume(p, backups));
      }
      default -> {
        d.violation(
            path,
            item,
            "must be a path or a mapping of one path to its backup settings, got "
                + Describe.node(item));
        return Optional.empty();
      }
    }
  }

  private Optional<String> volumePath(String raw, YNode at, FieldPath path) {
    return Read.checked(ContainerPaths.absolute(raw, true), raw, at, path, d)
        .flatMap(
            p -> {
              if (ContainerPaths.NOT_MOUNTABLE.contains(p)) {
                d.violation(
                    path,
                    at,
                    Describe.quote(raw)
                        + " resolves to "
                        + p
                        + ", which cannot be a volume (it would hide the image's files)");
                return Optional.empty();
              }
              return Optional.of(p);
            });
  }

  private List<Backup> backups(YNode node, FieldPath path, Position owner) {
    List<Backup> backups = new ArrayList<>();
    Read.mapping(node, path, owner, d, "a mapping with backup_full and/or backup_increment")
        .ifPresent(
            spec -> {
              spec.rejectUnknownKeys(BACKUP_KINDS);
              for (String kind : BACKUP_KINDS) {
                Position kindAt = spec.keyNode(kind).map(YNode::at).orElse(owner);
                spec.value(kind)
                    .flatMap(
                        n ->
                            Read.mapping(
                                n,
                                spec.path(kind),
                                kindAt,
                                d,
                                "a mapping with schedule and expire"))
                    .flatMap(
                        backup ->
                            backup(
                                backup,
                                kind.equals("backup_full")
                                    ? BackupMode.FULL
                                    : BackupMode.INCREMENT))
                    .ifPresent(backups::add);
              }
            });
    return backups;
  }

  private Optional<Backup> backup(MapReader backup, BackupMode mode) {
    backup.rejectUnknownKeys(BACKUP_KEYS);
    Optional<String> schedule =
        backup
            .required("schedule", "a cron schedule with five fields, e.g. \"0 3 * * *\"")
            .flatMap(
                n ->
                    Read.text(n, backup.path("schedule"), d, "a cron schedule")
                        .filter(
                            s -> {
                              String[] fields = s.strip().split("\\s+");
                              boolean ok =
                                  fields.length == 5
                                      && List.of(fields).stream()
                                          .allMatch(x -> CRON_FIELD.matcher(x).matches());
                              if (!ok) {
                                d.violation(
                                    backup.path("schedule"),
                                    n,
                                    Describe.quote(s)
                                        + " must be a cron schedule with five fields (minute hour"
                                        + " day-of-month month day-of-week), e.g. \"0 3 * * *\"");
                              }
                              return ok;
                            }));
    String expire =
        backup
            .value("expire")
            .flatMap(
                n ->
                    Read.text(n, backup.path("expire"), d, "a duration like 10d")
                        .filter(
                            s -> {
                              boolean ok = EXPIRE.matcher(s).matches();
                              if (!ok) {
                                d.violation(
                                    backup.path("expire"),
                                    n,
                                    Describe.quote(s)
                                        + " must be <n>d, <n>h or <n>m, e.g. 10d, 10h or 3m");
                              }
                              return ok;
                            }))
            .orElse("");
    String preRun =
        backup
            .value("pre_run")
            .flatMap(n -> Read.text(n, backup.path("pre_run"), d, "a command"))
            .orElse("");
    String postRun =
        backup
            .value("post_run")
            .flatMap(n -> Read.text(n, backup.path("post_run"), d, "a command"))
            .orElse("");
    return schedule.map(s -> new Backup(mode, s.strip(), expire, preRun, postRun));
  }

  Optional<CloudVolumes> cloudVolumes(YNode node, MapReader proc, FieldPath path) {
    Position owner = proc.keyNode("cloud_volumes").map(YNode::at).orElse(node.at());
    return Read.mapping(node, path, owner, d, "a mapping with type and dirs")
        .map(
            cloud -> {
              cloud.rejectUnknownKeys(CLOUD_VOLUME_KEYS);
              CloudVolumes.Type type =
                  cloud
                      .value("type")
                      .flatMap(
                          n ->
                              Read.text(n, cloud.path("type"), d, "single or multi")
                                  .flatMap(
                                      t ->
                                          switch (t) {
                                            case "single" -> Optional.of(CloudVolumes.Type.SINGLE);
                                            case "multi" -> Optional.of(CloudVolumes.Type.MULTI);
                                            default -> {
                                              d.violation(
                                                  cloud.path("type"),
                                                  n,
                                                  Describe.quote(t) + " must be single or multi");
                                              yield Optional.empty();
                                            }
                                          }))
                      .orElse(CloudVolumes.Type.MULTI);
              List<String> dirs = new ArrayList<>();
              cloud
                  .required("dirs", "a list of directories on the shared file system")
                  .ifPresent(
                      n ->
                          Read.eachText(
                              n,
                              cloud.path("dirs"),
                              d,
                              "directories",
                              "a directory",
                              (raw, at, itemPath) ->
                                  volumePath(raw, at, itemPath).ifPresent(dirs::add)));
              return new CloudVolumes(type, dirs);
            });
  }

  List<String> logs(YNode node, FieldPath path) {
    List<String> logs = new ArrayList<>();
    Read.eachText(
        node,
        path,
        d,
        "file names under /lain/logs",
        "a file name under /lain/logs",
        (raw, at, itemPath) ->
            Read.checked(
                    ContainerPaths.relative(raw, ContainerPaths.LOGS_DIR), raw, at, itemPath, d)
                .ifPresent(logs::add));
    return logs;
  }

  List<String> secretFiles(YNode node, FieldPath path) {
    List<String> files = new ArrayList<>();
    Read.eachText(
        node,
        path,
        d,
        "file paths",
        "a file path",
        (raw, at, itemPath) ->
            Read.checked(ContainerPaths.absolute(raw, true), raw, at, itemPath, d)
                .ifPresent(
                    p -> {
                      if (ContainerPaths.NOT_MOUNTABLE.contains(p)) {
                        d.violation(
                            itemPath,
                            at,
                            Describe.quote(raw)
                                + " resolves to the directory "
                                + p
                                + ", not a file");
                      } else {
                        files.add(p);
                      }
                    }));
    return files;
  }
}
