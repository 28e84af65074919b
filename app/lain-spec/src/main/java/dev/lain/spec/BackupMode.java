package dev.lain.spec;

/** {@code backup_full} or {@code backup_increment}. */
public enum BackupMode {
  FULL,
  INCREMENT
}
