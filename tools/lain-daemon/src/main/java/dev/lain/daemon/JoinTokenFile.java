package dev.lain.daemon;

import dev.lain.records.nodes.JoinTokens;
import dev.lain.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * {@code laind agent --join-token-file}: the one-time token {@code lainctl node add} left on the
 * node. The file is read and deleted at once (a token is good for one try, whatever its outcome),
 * then redeemed in the store: compare and delete, so a second agent with the same token fails.
 */
final class JoinTokenFile {
  private JoinTokenFile() {}

  /**
   * Redeems the token in {@code file} for {@code node}.
   *
   * @throws IllegalStateException naming the file and the token's id (never its secret) when the
   *     file cannot be read, holds no token, or the token is unknown, spent, expired or for another
   *     node
   */
  static void redeem(Store store, Path file, String node) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new IllegalStateException(
          "join token file " + file + " does not exist (a token is good for one start)", e);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read join token file " + file + ": " + e, e);
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new IllegalStateException("cannot delete join token file " + file + ": " + e, e);
    }
    JoinTokens.JoinToken token =
        JoinTokens.JoinToken.parse(text)
            .orElseThrow(
                () -> new IllegalStateException("join token file " + file + " holds no token"));
    if (!JoinTokens.redeem(store, token, node)) {
      throw new IllegalStateException(
          token + " is unknown, spent, expired or not for node " + node + ": not registering");
    }
  }
}
