package dev.lain.spec;

import java.util.Objects;

/**
 * A backupd schedule for a volume.
 *
 * @param schedule five-field cron expression ({@code m h dom mon dow})
 * @param expire how long backups are kept ({@code 10d}, {@code 10h}, {@code 3m}); {@code ""} when
 *     not written (backupd's default)
 * @param preRun command run before the backup, {@code ""} for none
 * @param postRun command run after the backup, {@code ""} for none
 */
public record Backup(
    BackupMode mode, String schedule, String expire, String preRun, String postRun) {
  public Backup {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(expire, "expire");
    Objects.requireNonNull(preRun, "preRun");
    Objects.requireNonNull(postRun, "postRun");
  }
}
