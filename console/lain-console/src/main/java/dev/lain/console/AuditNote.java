package dev.lain.console;

import dev.lain.model.console.AuditRecord;

/**
 * The audit record of the request that makes a change, for the change to write in its own
 * transaction: a change that lands is in the audit log, whenever the console dies.
 */
@FunctionalInterface
interface AuditNote {
  AuditRecord record(int status, String message);
}
