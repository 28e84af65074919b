package dev.lain.spec;

import java.util.regex.Pattern;

/** Naming rules of lain.yaml's own (app and proc names are {@link dev.lain.model.AppNames}). */
final class Names {
  private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private Names() {}

  static boolean isEnvKey(String key) {
    return ENV_KEY.matcher(key).matches();
  }
}
