package dev.lain.nodeinstall;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Optional;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;

/**
 * A node for tests: MINA SSHD on 127.0.0.1 (a free port) that runs each command with {@code sh -c}
 * as this process's user, with {@code HOME} and the working directory in a sandbox directory that
 * stands for the node's file system. It accepts the keys in {@code <home>/.ssh/authorized_keys}
 * (read at each login, as sshd does) and, if set, one password.
 */
final class SandboxSshd implements AutoCloseable {
  private final SshServer server;
  final Path sandbox;
  final Path home;

  SandboxSshd(Path sandbox, Optional<String> password) throws IOException {
    this.sandbox = sandbox;
    this.home = sandbox.resolve("root");
    Files.createDirectories(home);
    server = SshServer.setUpDefaultServer();
    server.setHost("127.0.0.1");
    server.setPort(0);
    server.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(sandbox.resolve("host-key")));
    server.setPublickeyAuthenticator((user, key, session) -> authorized(key));
    server.setPasswordAuthenticator(
        (user, given, session) -> password.isPresent() && password.get().equals(given));
    server.setCommandFactory((channel, command) -> new ShellCommand(command));
    server.start();
  }

  int port() {
    return server.getPort();
  }

  Path authorizedKeys() {
    return home.resolve(".ssh/authorized_keys");
  }

  private boolean authorized(PublicKey key) {
    if (!Files.exists(authorizedKeys())) {
      return false;
    }
    try {
      for (AuthorizedKeyEntry entry : AuthorizedKeyEntry.readAuthorizedKeys(authorizedKeys())) {
        if (KeyUtils.compareKeys(
            entry.resolvePublicKey(null, PublicKeyEntryResolver.IGNORING), key)) {
          return true;
        }
      }
    } catch (IOException | java.security.GeneralSecurityException e) {
      return false;
    }
    return false;
  }

  @Override
  public void close() throws IOException {
    server.stop(true);
  }

  /** One exec request, run for real in the sandbox. */
  private final class ShellCommand implements Command {
    private final String command;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private Process process;

    ShellCommand(String command) {
      this.command = command;
    }

    @Override
    public void setInputStream(InputStream in) {
      this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
      this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
      this.exit = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
      ProcessBuilder builder =
          new ProcessBuilder("/bin/sh", "-c", command).directory(sandbox.toFile());
      builder.environment().put("HOME", home.toString());
      process = builder.start();
      Thread.ofVirtual()
          .start(
              () -> {
                try (OutputStream stdin = process.getOutputStream()) {
                  in.transferTo(stdin);
                } catch (IOException e) {
                  // The command stopped reading: fine.
                }
              });
      Thread pumpOut = Thread.ofVirtual().start(() -> pump(process.getInputStream(), out));
      Thread pumpErr = Thread.ofVirtual().start(() -> pump(process.getErrorStream(), err));
      Thread.ofVirtual()
          .start(
              () -> {
                try {
                  int code = process.waitFor();
                  pumpOut.join();
                  pumpErr.join();
                  exit.onExit(code);
                } catch (InterruptedException e) {
                  exit.onExit(255);
                }
              });
    }

    private void pump(InputStream from, OutputStream to) {
      try (from) {
        from.transferTo(to);
        to.flush();
      } catch (IOException e) {
        // The channel went away.
      }
    }

    @Override
    public void destroy(ChannelSession channel) {
      if (process != null) {
        process.destroy();
      }
    }
  }
}
